package dev.custodian.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;

/** Assertions that what a caller may not see is indistinguishable from what does not exist. */
public final class Visibility {

  private Visibility() {}

  /** The hidden resource answers exactly as a resource that does not exist. */
  public static void assertLooksMissing(FhirHttp as, String hidden, String missing) {
    FhirHttp.Response h = as.get(hidden);
    FhirHttp.Response m = as.get(missing);
    assertThat(h.status()).as(hidden).isEqualTo(m.status()).isEqualTo(404);
    String hiddenId = hidden.split("/")[1];
    String missingId = missing.split("/")[1];
    assertThat(h.body().replace(hiddenId, "X").replaceAll("\"id\":\"[^\"]*\"", ""))
        .as("the refusal must not differ from a missing id's")
        .isEqualTo(m.body().replace(missingId, "X").replaceAll("\"id\":\"[^\"]*\"", ""));
  }

  /** The ids of the resources in a search result (matches and included ones, not outcomes). */
  public static Set<String> ids(Bundle bundle) {
    return bundle.getEntry().stream()
        .filter(e -> e.hasResource() && e.getSearch().getMode() != Bundle.SearchEntryMode.OUTCOME)
        .map(e -> e.getResource().getIdElement().getIdPart())
        .collect(Collectors.toSet());
  }
}
