package dev.custodian.policy.enforce;

import java.util.Optional;
import org.hl7.fhir.instance.model.api.IBaseResource;

/** The stored record a local reference ({@code Type/id}) points to, read as the server; empty if none. */
@FunctionalInterface
public interface RecordLookup {

  Optional<IBaseResource> find(String typeAndId);
}
