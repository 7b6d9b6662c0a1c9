package dev.custodian.audit.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import dev.custodian.audit.AccessRecord;
import dev.custodian.audit.AccessedResource;
import dev.custodian.audit.AuditCodes;
import dev.custodian.audit.BalpEventBuilder;
import dev.custodian.audit.RestInteraction;
import dev.custodian.audit.ServerIdentity;
import dev.custodian.audit.chain.VerificationResult.Problem;
import dev.custodian.policy.caller.Caller;
import dev.custodian.policy.caller.PurposeOfUse;
import dev.custodian.policy.caller.Role;
import dev.custodian.policy.decision.Basis;
import dev.custodian.policy.decision.Decision;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuditChainTest {

  static final int EVENTS = 1_000;
  static final int CHECKPOINT_EVERY = 100;
  static final IParser JSON = FhirContext.forR4Cached().newJsonParser();

  static KeyPair serverKey;
  static KeyPair otherKey;
  static List<AuditEvent> chained;
  static List<Checkpoint> checkpoints;
  static List<String> storedJson;

  @BeforeAll
  static void buildChain() throws Exception {
    serverKey = ecKey();
    otherKey = ecKey();
    BalpEventBuilder builder = new BalpEventBuilder(
        new ServerIdentity("Device/custodian", "custodian.example.org", "https://custodian.example.org/fhir"));
    Caller chen = Caller.builder().fhirUser("Practitioner/chen").clientId("ehr-app").roles(Role.CLINICIAN)
        .purpose(PurposeOfUse.TREAT).tokenId("jti-1").build();
    AuditChain chain = new AuditChain();
    Checkpointer checkpointer = new Checkpointer(CHECKPOINT_EVERY, serverKey.getPrivate(), "audit-2026",
        Clock.fixed(Instant.parse("2026-11-25T12:00:00.123456Z"), ZoneOffset.UTC));
    chained = new ArrayList<>();
    checkpoints = new ArrayList<>();
    Instant t = Instant.parse("2026-11-25T10:00:00Z");
    while (chained.size() < EVENTS) {
      int i = chained.size();
      for (AuditEvent event : builder.build(AccessRecord.builder()
          .recorded(t.plusMillis(i)).interaction(RestInteraction.READ).caller(chen)
          .requestId("req-" + i).requestUrl("https://custodian.example.org/fhir/ImagingStudy/s" + i)
          .resource(AccessedResource.of("ImagingStudy/s" + i, Decision.permit(Basis.TREATMENT, "treats"),
              "Patient/p" + (i % 17)))
          .build())) {
        ChainLink link = chain.append(event);
        chained.add(event);
        checkpointer.after(link).ifPresent(checkpoints::add);
      }
    }
    assertThat(chain.lastSequence()).isEqualTo(EVENTS);
    assertThat(checkpoints).hasSize(EVENTS / CHECKPOINT_EVERY);
    storedJson = chained.stream().map(JSON::encodeResourceToString).toList();
  }

  static KeyPair ecKey() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** Deep copies, as the store would give them back: through JSON, with server-assigned id and meta. */
  static List<AuditEvent> stored() {
    List<AuditEvent> copies = new ArrayList<>();
    for (int i = 0; i < chained.size(); i++) {
      AuditEvent back = JSON.parseResource(AuditEvent.class, storedJson.get(i));
      back.setId("AuditEvent/" + (9000 + i) + "/_history/1");
      back.getMeta().setVersionId("1").setLastUpdated(new java.util.Date()).setSource("#node-b");
      copies.add(back);
    }
    return copies;
  }

  static AuditEvent at(List<AuditEvent> events, long sequence) {
    return events.stream().filter(e -> AuditChain.linkOf(e).orElseThrow().sequence() == sequence)
        .findFirst().orElseThrow();
  }

  static VerificationResult verify(List<AuditEvent> events, List<Checkpoint> cps) {
    return ChainVerifier.withKey(serverKey.getPublic()).verify(events, cps);
  }

  @Test
  void a_thousand_events_verify() {
    VerificationResult result = verify(chained, checkpoints);
    assertThat(result.valid()).as(result.message()).isTrue();
    assertThat(result.eventsVerified()).isEqualTo(EVENTS);
    assertThat(result.checkpointsVerified()).isEqualTo(EVENTS / CHECKPOINT_EVERY);
    assertThat(result.lastSequence()).isEqualTo(EVENTS);
    assertThat(result.lastHash()).isEqualTo(AuditChain.linkOf(chained.get(EVENTS - 1)).orElseThrow().hash());
    assertThat(result.problem()).isNull();
  }

  @Test
  void events_read_back_from_the_store_verify() {
    VerificationResult result = verify(stored(), checkpoints);
    assertThat(result.valid()).as(result.message()).isTrue();
    assertThat(result.eventsVerified()).isEqualTo(EVENTS);
  }

  @Test
  void links_are_stored_on_the_event_and_chain_up() {
    ChainLink first = AuditChain.linkOf(chained.get(0)).orElseThrow();
    ChainLink second = AuditChain.linkOf(chained.get(1)).orElseThrow();
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.previousHash()).isEqualTo(AuditChain.GENESIS_HASH);
    assertThat(second.sequence()).isEqualTo(2);
    assertThat(second.previousHash()).isEqualTo(first.hash());
    assertThat(first.hash()).isNotEqualTo(second.hash()).matches("[0-9a-f]{64}");
    Extension ext = chained.get(0).getExtensionByUrl(AuditCodes.EXT_AUDIT_CHAIN);
    assertThat(((StringType) ext.getExtensionByUrl("sequence").getValue()).getValue()).isEqualTo("1");
    assertThat(((StringType) ext.getExtensionByUrl("hash").getValue()).getValue()).isEqualTo(first.hash());
  }

  @Test
  void canonical_form_ignores_store_assigned_fields_and_the_link() {
    AuditEvent original = chained.get(5);
    AuditEvent stored = stored().get(5);
    assertThat(CanonicalForm.of(stored)).isEqualTo(CanonicalForm.of(original));
    AuditEvent unlinked = original.copy();
    unlinked.getExtension().clear();
    assertThat(CanonicalForm.of(unlinked)).isEqualTo(CanonicalForm.of(original));
    assertThat(new String(CanonicalForm.of(original), java.nio.charset.StandardCharsets.UTF_8))
        .startsWith("{\"resourceType\":\"AuditEvent\",")
        .doesNotContain("audit-chain").doesNotContain("\"id\"").doesNotContain("\n");
  }

  @Test
  void canonical_form_is_what_the_standard_encoder_writes() {
    // the canonical encoder skips HAPI's search for references to contain; for an event it must
    // give exactly the bytes the default encoder gives, or chains hashed before that would break
    IParser standard = FhirContext.forR4Cached().newJsonParser().setOmitResourceId(true)
        .setStripVersionsFromReferences(false);
    for (AuditEvent event : List.of(chained.get(0), chained.get(7), stored().get(3))) {
      AuditEvent bare = event.copy();
      bare.setMeta(null);
      bare.getExtension().removeIf(e -> AuditCodes.EXT_AUDIT_CHAIN.equals(e.getUrl()));
      bare.getEntityFirstRep().getWhat().setReference("ImagingStudy/s1/_history/2");
      bare.addContained(new org.hl7.fhir.r4.model.Patient().setActive(true).setId("p"));
      bare.getAgentFirstRep().getLocation().setReference("#p");
      assertThat(new String(CanonicalForm.of(bare), java.nio.charset.StandardCharsets.UTF_8))
          .isEqualTo(standard.encodeResourceToString(bare))
          .contains("\"contained\":[").contains("ImagingStudy/s1/_history/2");
    }
  }

  @Test
  void a_changed_field_names_its_sequence() {
    List<AuditEvent> events = stored();
    at(events, 500).setOutcomeDesc("nothing to see here");
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.valid()).isFalse();
    assertThat(result.problem()).isEqualTo(Problem.HASH_MISMATCH);
    assertThat(result.brokenAt()).isEqualTo(500L);
    assertThat(result.eventsVerified()).isEqualTo(499);
    assertThat(result.message()).contains("500");
  }

  @Test
  void a_changed_agent_names_its_sequence() {
    List<AuditEvent> events = stored();
    at(events, 42).getAgentFirstRep().getWho().setReference("Practitioner/someone-else");
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.HASH_MISMATCH);
    assertThat(result.brokenAt()).isEqualTo(42L);
  }

  @Test
  void a_deleted_event_is_a_gap() {
    List<AuditEvent> events = stored();
    events.remove(at(events, 500));
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.GAP);
    assertThat(result.brokenAt()).isEqualTo(500L);
    assertThat(result.message()).contains("sequence 500 missing");
  }

  @Test
  void swapped_events_are_reordered() {
    List<AuditEvent> events = stored();
    Collections.swap(events, 299, 300); // sequences 300 and 301
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.REORDERED);
    assertThat(result.brokenAt()).isEqualTo(300L);
    assertThat(result.message()).contains("300").contains("301");
  }

  @Test
  void swapped_sequence_numbers_break_the_hashes() {
    List<AuditEvent> events = stored();
    AuditEvent a = events.get(299);
    AuditEvent b = events.get(300);
    Extension linkA = a.getExtensionByUrl(AuditCodes.EXT_AUDIT_CHAIN);
    Extension linkB = b.getExtensionByUrl(AuditCodes.EXT_AUDIT_CHAIN);
    a.getExtension().remove(linkA);
    b.getExtension().remove(linkB);
    a.addExtension(linkB);
    b.addExtension(linkA);
    Collections.swap(events, 299, 300); // now in the order of their (swapped) links
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.HASH_MISMATCH);
    assertThat(result.brokenAt()).isEqualTo(300L);
  }

  @Test
  void a_duplicated_event_is_named() {
    List<AuditEvent> events = stored();
    events.add(600, events.get(599).copy());
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.DUPLICATE_OR_OUT_OF_ORDER);
    assertThat(result.brokenAt()).isEqualTo(600L);
  }

  @Test
  void a_forged_hash_is_named() {
    List<AuditEvent> events = stored();
    Extension link = at(events, 700).getExtensionByUrl(AuditCodes.EXT_AUDIT_CHAIN);
    link.getExtensionByUrl("hash").setValue(new StringType("ab".repeat(32)));
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.HASH_MISMATCH);
    assertThat(result.brokenAt()).isEqualTo(700L);
  }

  @Test
  void a_rewritten_and_rehashed_event_breaks_the_next_link() {
    List<AuditEvent> events = stored();
    AuditEvent victim = at(events, 250);
    ChainLink link = AuditChain.linkOf(victim).orElseThrow();
    victim.setOutcomeDesc("rewritten");
    AuditChain.link(victim, link.sequence(), link.previousHash());
    VerificationResult result = verify(events, List.of());
    assertThat(result.problem()).isEqualTo(Problem.PREVIOUS_HASH_MISMATCH);
    assertThat(result.brokenAt()).isEqualTo(251L);
    assertThat(result.message()).contains("250");
  }

  @Test
  void a_chain_rewritten_to_its_end_is_caught_by_the_next_checkpoint() {
    List<AuditEvent> events = stored();
    at(events, 450).setOutcomeDesc("rewritten");
    ChainLink before = AuditChain.linkOf(at(events, 449)).orElseThrow();
    AuditChain rewriter = new AuditChain(before.sequence(), before.hash());
    for (AuditEvent event : events.subList(449, events.size())) {
      rewriter.append(event);
    }
    assertThat(verify(events, List.of()).valid()).as("without checkpoints a full rehash goes unseen").isTrue();
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_MISMATCH);
    assertThat(result.brokenAt()).isEqualTo(500L);
    assertThat(result.checkpointsVerified()).isEqualTo(4);
  }

  @Test
  void a_tampered_checkpoint_signature_is_named() {
    List<Checkpoint> cps = new ArrayList<>(checkpoints);
    Checkpoint original = cps.get(2); // sequence 300
    byte[] signature = Base64.getDecoder().decode(original.signature());
    signature[signature.length - 1] ^= 0x01;
    cps.set(2, new Checkpoint(original.sequence(), original.hash(), original.time(), original.keyId(),
        original.algorithm(), Base64.getEncoder().encodeToString(signature)));
    VerificationResult result = verify(stored(), cps);
    assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_SIGNATURE_INVALID);
    assertThat(result.brokenAt()).isEqualTo(300L);
  }

  @Test
  void a_checkpoint_with_a_changed_hash_fails_its_signature() {
    List<Checkpoint> cps = new ArrayList<>(checkpoints);
    Checkpoint original = cps.get(4); // sequence 500
    cps.set(4, new Checkpoint(original.sequence(), "cd".repeat(32), original.time(), original.keyId(),
        original.algorithm(), original.signature()));
    VerificationResult result = verify(stored(), cps);
    assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_SIGNATURE_INVALID);
    assertThat(result.brokenAt()).isEqualTo(500L);
  }

  @Test
  void the_wrong_key_fails_at_the_first_checkpoint() {
    VerificationResult result = ChainVerifier.withKey(otherKey.getPublic()).verify(chained, checkpoints);
    assertThat(result.valid()).isFalse();
    assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_SIGNATURE_INVALID);
    assertThat(result.brokenAt()).isEqualTo((long) CHECKPOINT_EVERY);
    assertThat(checkpoints.get(0).verify(otherKey.getPublic())).isFalse();
    assertThat(checkpoints.get(0).verify(serverKey.getPublic())).isTrue();
  }

  @Test
  void an_unknown_key_id_fails() {
    ChainVerifier verifier = new ChainVerifier(Map.of("audit-2025", serverKey.getPublic())::get);
    VerificationResult result = verifier.verify(chained, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.CHECKPOINT_SIGNATURE_INVALID);
    assertThat(result.message()).contains("unknown key");
  }

  @Test
  void events_cut_off_at_the_end_are_caught_by_the_last_checkpoint() {
    List<AuditEvent> events = stored().subList(0, 950);
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.TRUNCATED);
    assertThat(result.brokenAt()).isEqualTo(951L);
    assertThat(result.eventsVerified()).isEqualTo(950);
  }

  @Test
  void an_event_without_link_is_named() {
    List<AuditEvent> events = stored();
    at(events, 10).getExtension().removeIf(e -> AuditCodes.EXT_AUDIT_CHAIN.equals(e.getUrl()));
    VerificationResult result = verify(events, checkpoints);
    assertThat(result.problem()).isEqualTo(Problem.MISSING_LINK);
    assertThat(result.brokenAt()).isEqualTo(10L);
  }

  @Test
  void verification_can_start_after_a_trusted_checkpoint() {
    Checkpoint trusted = checkpoints.get(7); // sequence 800
    List<AuditEvent> tail = stored().subList(800, EVENTS);
    VerificationResult result = ChainVerifier.withKey(serverKey.getPublic())
        .verify(tail, checkpoints, trusted.sequence(), trusted.hash());
    assertThat(result.valid()).as(result.message()).isTrue();
    assertThat(result.eventsVerified()).isEqualTo(200);
    assertThat(result.checkpointsVerified()).isEqualTo(2);
  }

  @Test
  void rsa_keys_sign_checkpoints_too() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair rsa = generator.generateKeyPair();
    ChainLink link = AuditChain.linkOf(chained.get(99)).orElseThrow();
    Checkpoint checkpoint = Checkpoint.sign(link, Instant.parse("2026-11-25T12:00:00Z"), "rsa-1", rsa.getPrivate());
    assertThat(checkpoint.algorithm()).isEqualTo("SHA256withRSA");
    assertThat(checkpoint.verify(rsa.getPublic())).isTrue();
    assertThat(checkpoint.verify(serverKey.getPublic())).as("EC key for an RSA signature").isFalse();
    assertThat(ChainVerifier.withKey(rsa.getPublic()).verify(chained.subList(0, 100), List.of(checkpoint)).valid())
        .isTrue();
  }

  @Test
  void checkpoint_time_is_kept_to_the_millisecond_and_signed() {
    Checkpoint checkpoint = checkpoints.get(0);
    assertThat(checkpoint.time()).isEqualTo(Instant.parse("2026-11-25T12:00:00.123Z"));
    assertThat(checkpoint.algorithm()).isEqualTo("SHA256withECDSA");
    Checkpoint moved = new Checkpoint(checkpoint.sequence(), checkpoint.hash(), checkpoint.time().plusSeconds(1),
        checkpoint.keyId(), checkpoint.algorithm(), checkpoint.signature());
    assertThat(moved.verify(serverKey.getPublic())).isFalse();
  }

  @Test
  void malformed_links_are_rejected() {
    assertThatThrownBy(() -> new ChainLink(0, AuditChain.GENESIS_HASH, AuditChain.GENESIS_HASH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ChainLink(1, "XYZ", AuditChain.GENESIS_HASH))
        .isInstanceOf(IllegalArgumentException.class);
    AuditEvent event = chained.get(3).copy();
    event.getExtensionByUrl(AuditCodes.EXT_AUDIT_CHAIN).getExtensionByUrl("sequence")
        .setValue(new StringType("-4"));
    assertThat(AuditChain.linkOf(event)).isEmpty();
  }
}
