package dev.custodian.server.policy;

import dev.custodian.policy.facts.PolicyFacts;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The policy's facts, remembered for the duration of one HTTP request: a search that returns many
 * records of one patient asks "does this clinician treat that patient?" once, not once per record.
 * Each request starts empty, so a revoked consent or an ended emergency grant counts from the very
 * next request. Within a request the time arguments are ignored in the key: a request is one moment.
 * Outside a request (start-up, background work) nothing is remembered.
 */
public final class RequestScopedFacts {

  private static final ThreadLocal<Map<List<Object>, Object>> ANSWERS = new ThreadLocal<>();

  private RequestScopedFacts() {}

  /** {@code facts}, answering each question at most once per request. */
  public static PolicyFacts around(PolicyFacts facts) {
    InvocationHandler handler = (proxy, method, arguments) -> {
      Map<List<Object>, Object> answers = ANSWERS.get();
      if (method.getDeclaringClass() == Object.class || answers == null) {
        return invoke(facts, method, arguments);
      }
      List<Object> key = new ArrayList<>();
      key.add(method.getName());
      if (arguments != null) {
        for (Object argument : arguments) {
          if (!(argument instanceof Instant)) {
            key.add(argument);
          }
        }
      }
      if (answers.containsKey(key)) {
        return answers.get(key);
      }
      Object answer = invoke(facts, method, arguments);
      answers.put(key, answer);
      return answer;
    };
    return (PolicyFacts) Proxy.newProxyInstance(
        PolicyFacts.class.getClassLoader(), new Class<?>[] {PolicyFacts.class}, handler);
  }

  /**
   * {@code answer}'s value, asked at most once per request under {@code key} (and forgotten with the
   * request's other answers); outside a request, asked every time.
   */
  @SuppressWarnings("unchecked")
  static <T> T once(String key, java.util.function.Supplier<T> answer) {
    Map<List<Object>, Object> answers = ANSWERS.get();
    if (answers == null) {
      return answer.get();
    }
    return (T) answers.computeIfAbsent(List.of(RequestScopedFacts.class, key), k -> answer.get());
  }

  private static Object invoke(PolicyFacts facts, java.lang.reflect.Method method, Object[] arguments) throws Throwable {
    try {
      return method.invoke(facts, arguments);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Forgets what the current request remembered, when one part of it must see the effect of another:
   * each entry of a batch is decided as a request of its own.
   */
  public static void forgetAnswers() {
    if (ANSWERS.get() != null) {
      ANSWERS.set(new HashMap<>());
    }
  }

  /** Opens the memory for the request it filters, and empties it afterwards. */
  public static final class Scope extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      ANSWERS.set(new HashMap<>());
      try {
        chain.doFilter(request, response);
      } finally {
        ANSWERS.remove();
      }
    }
  }
}
