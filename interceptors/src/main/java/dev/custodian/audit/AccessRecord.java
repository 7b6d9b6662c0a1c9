package dev.custodian.audit;

import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.resource.References;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What happened in one request, as the audit interceptor saw it: the input of
 * {@link BalpEventBuilder}. Built once per request, after the response status is known.
 *
 * @param recorded when the request was handled
 * @param interaction the RESTful interaction
 * @param caller who asked; null when the request was refused before a caller was known (401)
 * @param clientId the OAuth client id when there is no caller but the client is known, else null
 *     (the caller's own client id wins)
 * @param httpStatus the response status sent
 * @param requestId the {@code X-Request-Id} (the client's, or one the server generated and echoed)
 * @param requestUrl the raw request URL with its query string, exactly as received (recorded base64
 *     in the query entity of searches)
 * @param clientAddress the client's network address, or null
 * @param requestedReference the instance the URL named ({@code ImagingStudy/x}) for instance-level
 *     interactions, or null; recorded as the data entity when no resource was touched (a 404)
 * @param resources the resources touched, with the policy's decision for each
 * @param failure a description of a failure for {@code outcomeDesc} (never sent to the client), or null
 * @param consentChange what a write did to a Consent (granted, changed, revoked), or null
 */
public record AccessRecord(
    Instant recorded,
    RestInteraction interaction,
    Caller caller,
    String clientId,
    int httpStatus,
    String requestId,
    String requestUrl,
    String clientAddress,
    String requestedReference,
    List<AccessedResource> resources,
    String failure,
    ConsentChange consentChange) {

  public AccessRecord {
    Objects.requireNonNull(recorded, "recorded");
    Objects.requireNonNull(interaction, "interaction");
    if (requestId == null || requestId.isBlank()) {
      throw new IllegalArgumentException("requestId is required");
    }
    Objects.requireNonNull(requestUrl, "requestUrl");
    if (httpStatus < 100 || httpStatus > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + httpStatus);
    }
    if (requestedReference != null) {
      References.require(requestedReference, "requestedReference");
    }
    resources = List.copyOf(resources == null ? List.of() : resources);
  }

  /** The client id: the caller's, else the one given, else null. */
  public String effectiveClientId() {
    return caller != null ? caller.clientId() : clientId;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link AccessRecord}. */
  public static final class Builder {
    private Instant recorded;
    private RestInteraction interaction;
    private Caller caller;
    private String clientId;
    private int httpStatus = 200;
    private String requestId;
    private String requestUrl;
    private String clientAddress;
    private String requestedReference;
    private final List<AccessedResource> resources = new ArrayList<>();
    private String failure;
    private ConsentChange consentChange;

    private Builder() {}

    public Builder recorded(Instant value) {
      recorded = value;
      return this;
    }

    public Builder interaction(RestInteraction value) {
      interaction = value;
      return this;
    }

    public Builder caller(Caller value) {
      caller = value;
      return this;
    }

    public Builder clientId(String value) {
      clientId = value;
      return this;
    }

    public Builder httpStatus(int value) {
      httpStatus = value;
      return this;
    }

    public Builder requestId(String value) {
      requestId = value;
      return this;
    }

    public Builder requestUrl(String value) {
      requestUrl = value;
      return this;
    }

    public Builder clientAddress(String value) {
      clientAddress = value;
      return this;
    }

    public Builder requestedReference(String value) {
      requestedReference = value;
      return this;
    }

    public Builder resource(AccessedResource value) {
      resources.add(value);
      return this;
    }

    public Builder resources(List<AccessedResource> values) {
      resources.addAll(values);
      return this;
    }

    public Builder failure(String value) {
      failure = value;
      return this;
    }

    public Builder consentChange(ConsentChange value) {
      consentChange = value;
      return this;
    }

    public AccessRecord build() {
      return new AccessRecord(
          recorded, interaction, caller, clientId, httpStatus, requestId, requestUrl, clientAddress,
          requestedReference, resources, failure, consentChange);
    }
  }
}
