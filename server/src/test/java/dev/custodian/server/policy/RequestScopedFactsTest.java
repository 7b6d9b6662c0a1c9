package dev.custodian.server.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** What is asked once per request is asked again by the next request, and after a batch entry. */
class RequestScopedFactsTest {

  final AtomicInteger reads = new AtomicInteger();

  long generation() {
    return reads.incrementAndGet();
  }

  @Test
  void asked_once_per_request_and_again_after_forgetting() throws Exception {
    long[] seen = new long[3];
    new RequestScopedFacts.Scope().doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
        new MockFilterChain(new jakarta.servlet.http.HttpServlet() {}, (request, response, chain) -> {
          seen[0] = RequestScopedFacts.once("fact-generation", this::generation);
          seen[1] = RequestScopedFacts.once("fact-generation", this::generation);
          RequestScopedFacts.forgetAnswers(); // the next entry of a batch
          seen[2] = RequestScopedFacts.once("fact-generation", this::generation);
        }));
    assertThat(seen).containsExactly(1, 1, 2);

    // the next request reads anew
    new RequestScopedFacts.Scope().doFilter(new MockHttpServletRequest(), new MockHttpServletResponse(),
        new MockFilterChain(new jakarta.servlet.http.HttpServlet() {}, (request, response, chain) ->
            seen[0] = RequestScopedFacts.once("fact-generation", this::generation)));
    assertThat(seen[0]).isEqualTo(3);
  }

  @Test
  void outside_a_request_asked_every_time() {
    assertThat(RequestScopedFacts.once("fact-generation", this::generation)).isEqualTo(1);
    assertThat(RequestScopedFacts.once("fact-generation", this::generation)).isEqualTo(2);
  }
}
