package dev.custodian.server.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Ways to keep audit records from being written, in the real database, for tests of what a request
 * answers meanwhile. Both end when closed, so that a failing test leaves nothing behind in the
 * database the tests share.
 */
public final class AuditWriteBlocks {

  /** Ends a block; closing twice is harmless. */
  public interface Block extends AutoCloseable {
    @Override
    void close();
  }

  private AuditWriteBlocks() {}

  /**
   * Another session holds the audit table in {@code EXCLUSIVE} mode until closed: every commit of
   * audit records waits meanwhile, and goes on afterwards.
   */
  public static Block holdTable(JdbcTemplate jdbc) throws SQLException {
    Connection blocker = jdbc.getDataSource().getConnection();
    try {
      blocker.setAutoCommit(false);
      try (Statement lock = blocker.createStatement()) {
        lock.execute("lock table custodian_audit_event in exclusive mode");
      }
    } catch (SQLException | RuntimeException e) {
      blocker.close();
      throw e;
    }
    return () -> {
      try (blocker) {
        if (!blocker.isClosed()) {
          blocker.commit();
        }
      } catch (SQLException e) {
        throw new IllegalStateException("could not release the audit table", e);
      }
    };
  }

  /** A trigger refuses every insert of audit records until closed. */
  public static Block refuseInserts(JdbcTemplate jdbc) {
    Block block = () -> {
      jdbc.execute("drop trigger if exists custodian_test_refuse_audit on custodian_audit_event");
      jdbc.execute("drop function if exists custodian_test_refuse_audit()");
    };
    try {
      jdbc.execute("create or replace function custodian_test_refuse_audit() returns trigger"
          + " language plpgsql as $$ begin raise exception 'audit refused by a test'; end $$");
      jdbc.execute("create trigger custodian_test_refuse_audit before insert on custodian_audit_event"
          + " for each row execute function custodian_test_refuse_audit()");
    } catch (RuntimeException e) {
      block.close();
      throw e;
    }
    return block;
  }
}
