package dev.custodian.server.audit.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdsTest {

  @Test
  void anIdIsAVersion7UuidOfItsMillisecond() {
    UUID id = TimeOrderedIds.of(0x0123_4567_89ABL, -1L, -1L);
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.toString()).startsWith("01234567-89ab-7fff-bfff-");
    assertThat(TimeOrderedIds.of(0x0123_4567_89ABL, 0L, 0L).toString()).isEqualTo("01234567-89ab-7000-8000-000000000000");
  }

  @Test
  void idsOfLaterMillisecondsSortAfterEarlierOnes() throws InterruptedException {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(TimeOrderedIds.next().toString());
      Thread.sleep(2);
    }
    // PostgreSQL orders uuids by their bytes, which is the order of their lower-case hex text
    assertThat(ids).isSorted();
    assertThat(TimeOrderedIds.next().version()).isEqualTo(7);
  }

  @Test
  void idsOfOneMillisecondDiffer() {
    HashSet<UUID> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(TimeOrderedIds.next());
    }
    assertThat(ids).hasSize(10_000);
  }
}
