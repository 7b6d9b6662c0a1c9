package dev.custodian.server.auth.users;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/** Lets Spring Security's login check passwords against Custodian's user accounts. */
public class AccountUserDetailsService implements UserDetailsService {

  private final UserAccountRepository accounts;

  public AccountUserDetailsService(UserAccountRepository accounts) {
    this.accounts = accounts;
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    UserAccount account =
        accounts.find(username).orElseThrow(() -> new UsernameNotFoundException("no such user"));
    return User.withUsername(account.username())
        .password(account.passwordHash())
        .disabled(!account.enabled())
        .accountLocked(account.isLockedAt(java.time.Instant.now()))
        .authorities(account.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r)).toList())
        .build();
  }
}
