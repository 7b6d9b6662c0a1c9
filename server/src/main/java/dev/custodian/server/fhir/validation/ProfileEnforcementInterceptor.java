package dev.custodian.server.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.IValidatorModule;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Validates every create and update of a profiled resource type against its profile, offline, with
 * HAPI's instance validator, whether or not the resource claims the profile; a resource with errors
 * is refused with 422 and an OperationOutcome listing them, and nothing is stored.
 *
 * <p>Registered on the storage layer, so writes from any path (REST, transactions, demo data) are
 * checked. We use this rather than HAPI's RepositoryValidatingInterceptor because that one answers
 * 412 and checks only declared profiles unless told otherwise.
 */
@Interceptor
public class ProfileEnforcementInterceptor {

  private final FhirContext fhirContext;
  private final FhirValidator validator;
  private final Function<IBaseResource, String> requiredProfile;

  public ProfileEnforcementInterceptor(
      FhirContext fhirContext, IValidatorModule validatorModule, Map<String, String> profilesByType) {
    this(fhirContext, validatorModule, byType(fhirContext, Map.copyOf(profilesByType)));
  }

  private static Function<IBaseResource, String> byType(FhirContext fhirContext, Map<String, String> profilesByType) {
    return resource -> profilesByType.get(fhirContext.getResourceType(resource));
  }

  /** With the profile each resource must meet chosen by {@code requiredProfile} (null: none). */
  public ProfileEnforcementInterceptor(
      FhirContext fhirContext, IValidatorModule validatorModule, Function<IBaseResource, String> requiredProfile) {
    this.fhirContext = fhirContext;
    this.validator = fhirContext.newValidator().registerValidatorModule(validatorModule);
    this.requiredProfile = requiredProfile;
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
  public void beforeCreate(IBaseResource resource) {
    check(resource);
  }

  @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
  public void beforeUpdate(IBaseResource previous, IBaseResource updated) {
    check(updated);
  }

  private void check(IBaseResource resource) {
    String profile = requiredProfile.apply(resource);
    if (profile == null) {
      return;
    }
    ValidationResult result =
        validator.validateWithResult(resource, new ValidationOptions().addProfile(profile));
    List<SingleValidationMessage> errors =
        result.getMessages().stream()
            .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
            .toList();
    if (errors.isEmpty()) {
      return;
    }
    String type = fhirContext.getResourceType(resource);
    OperationOutcome outcome = new OperationOutcome();
    outcome
        .addIssue()
        .setSeverity(OperationOutcome.IssueSeverity.ERROR)
        .setCode(OperationOutcome.IssueType.INVALID)
        .setDiagnostics("The " + type + " does not conform to the profile " + profile);
    for (SingleValidationMessage error : errors) {
      outcome
          .addIssue()
          .setSeverity(
              error.getSeverity() == ResultSeverityEnum.FATAL
                  ? OperationOutcome.IssueSeverity.FATAL
                  : OperationOutcome.IssueSeverity.ERROR)
          .setCode(OperationOutcome.IssueType.PROCESSING)
          .setDiagnostics(error.getMessage())
          .addExpression(error.getLocationString());
    }
    throw new UnprocessableEntityException(
        "The " + type + " does not conform to the profile " + profile, outcome);
  }
}
