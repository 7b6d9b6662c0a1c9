package dev.custodian.server.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletResponse;

/** Nothing reaches the container's response before the record; what does reach it is whole and in order. */
class HeldUntilRecordedTest {

  private final MockHttpServletResponse container = new MockHttpServletResponse();
  /** The statuses the record was written with, and how many bytes the container had by then. */
  private final List<String> records = new ArrayList<>();
  private final HeldUntilRecorded answer = new HeldUntilRecorded(container,
      status -> records.add(status + " after " + container.getContentAsByteArray().length + " bytes"));

  @Test
  void aShortAnswerIsHeldThroughFlushesAndSentOnlyWhenAsked() throws IOException {
    answer.setStatus(200);
    answer.getOutputStream().write("short answer".getBytes());
    answer.getOutputStream().flush();
    answer.flushBuffer();
    assertThat(container.getContentAsByteArray()).isEmpty();
    assertThat(answer.isCommitted()).isFalse();
    assertThat(records).as("a short answer's record is the caller's, at the end").isEmpty();
    answer.sendHeld();
    assertThat(container.getContentAsString()).isEqualTo("short answer");
  }

  @Test
  void aLongAnswerIsRecordedBeforeItsFirstByteAndArrivesWhole() throws IOException {
    byte[] study = new byte[5 * HeldUntilRecorded.HELD_BYTES + 17];
    for (int i = 0; i < study.length; i++) {
      study[i] = (byte) (i * 31);
    }
    answer.setStatus(200);
    for (int at = 0; at < study.length; at += 1000) {
      answer.getOutputStream().write(study, at, Math.min(1000, study.length - at));
      if (at < HeldUntilRecorded.HELD_BYTES - 1000) {
        assertThat(container.getContentAsByteArray()).isEmpty();
      }
    }
    assertThat(records).containsExactly("200 after 0 bytes");
    answer.sendHeld();
    assertThat(records).hasSize(1);
    assertThat(Arrays.equals(container.getContentAsByteArray(), study)).isTrue();
  }

  @Test
  void aRecordThatCannotBeWrittenLetsNothingThrough() throws IOException {
    HeldUntilRecorded refused = new HeldUntilRecorded(container, status -> {
      throw new DicomwebAudit.NotRecorded(null);
    });
    refused.getOutputStream().write(new byte[HeldUntilRecorded.HELD_BYTES]);
    assertThatThrownBy(() -> refused.getOutputStream().write(new byte[1])).isInstanceOf(DicomwebAudit.NotRecorded.class);
    assertThat(container.getContentAsByteArray()).isEmpty();
    assertThat(refused.released()).isFalse();
    refused.reset();
    refused.getWriter().write("withheld");
    refused.sendHeld();
    assertThat(container.getContentAsString()).isEqualTo("withheld");
  }

  @Test
  void aResetHeldAnswerLeavesNothingOfItBehind() throws IOException {
    answer.setHeader("X-Request-ID", "r-1");
    answer.getOutputStream().write("part of a study".getBytes());
    answer.reset();
    answer.setStatus(500);
    answer.getWriter().write("failed");
    answer.sendHeld();
    assertThat(container.getContentAsString()).isEqualTo("failed");
    assertThat(container.getStatus()).isEqualTo(500);
  }
}
