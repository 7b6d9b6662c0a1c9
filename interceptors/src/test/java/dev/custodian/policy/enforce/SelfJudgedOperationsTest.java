package dev.custodian.policy.enforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.junit.jupiter.api.Test;

class SelfJudgedOperationsTest {

  private final SelfJudgedOperations verify = SelfJudgedOperations.of("$verify-audit-trail");

  @Test
  void onlyTheNamedOperationPassesTheShapeGuard() {
    RequestShapeGuard guard = new RequestShapeGuard(verify);
    assertThat(guard.checkForm(operation("$verify-audit-trail"))).isTrue();
    guard.checkOperation(operation("$verify-audit-trail"), RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);

    assertThatThrownBy(() -> guard.checkForm(operation("$everything"))).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> guard.checkForm(operation("$verify-audit-trail-x"))).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new RequestShapeGuard().checkForm(operation("$verify-audit-trail")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void namesAreOperationNames() {
    assertThatThrownBy(() -> SelfJudgedOperations.of("verify")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SelfJudgedOperations.of("$Everything")).isInstanceOf(IllegalArgumentException.class);
    assertThat(SelfJudgedOperations.NONE.contains(operation("$verify-audit-trail"))).isFalse();
  }

  private static SystemRequestDetails operation(String name) {
    SystemRequestDetails request = new SystemRequestDetails();
    request.setOperation(name);
    return request;
  }
}
