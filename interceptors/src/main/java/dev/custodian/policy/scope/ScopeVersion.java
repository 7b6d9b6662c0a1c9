package dev.custodian.policy.scope;

/**
 * Which SMART scope syntax a resource scope was written in.
 *
 * <ul>
 *   <li>{@link #V1} — SMART App Launch 1.0 suffixes {@code read}, {@code write}, {@code *};</li>
 *   <li>{@link #V2} — SMART App Launch 2.x permission letters {@code c r u d s}, optionally with a
 *       granular {@code ?param=value} filter.</li>
 * </ul>
 *
 * Both grant the same interactions once mapped ({@code read = rs}, {@code write = cud},
 * {@code * = cruds}); the version is kept so that a granted scope is echoed back in the form the
 * client asked for.
 */
public enum ScopeVersion {
  V1,
  V2
}
