import { LoginThrottleLimits } from "../../../shared/limits.js";

// Sign-in throttling beyond the per-(address, email) rate limit on the route:
//  - per account, across addresses: after a few failures the account accepts one attempt per delay,
//    doubling up to a cap. It slows guessing down without a lockout: the owner waits at most the cap,
//    and a correct password (or a reset) clears the count.
//  - per address, across accounts: too many failures from one address (spraying one password over many
//    accounts) are refused until the window passes. Only failures count, so a school's shared address
//    signing in every morning is not throttled.
// In memory, per app server: with several servers each applies the limits on its own.

type AccountState = { failures: number; lastFailureAt: number; nextAllowedAt: number };

export type ThrottleVerdict = { isAllowed: true } | { isAllowed: false; retryAfterSeconds: number; reason: "account" | "address" };

export class LoginThrottle {
  private readonly accounts = new Map<string, AccountState>();
  private readonly addresses = new Map<string, number[]>();

  constructor(
    private readonly limits: typeof LoginThrottleLimits = LoginThrottleLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** May this address try this account now? Call before checking the password. */
  check(email: string, address: string | null): ThrottleVerdict {
    const t = this.now();
    const failures = this.recentAddressFailures(address, t);
    if (failures.length >= this.limits.perAddressFailures) {
      const oldest = failures[0] ?? t;
      return { isAllowed: false, reason: "address", retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.limits.windowMs - t) / 1000)) };
    }
    const account = this.account(email, t);
    if (account && account.nextAllowedAt > t) {
      return { isAllowed: false, reason: "account", retryAfterSeconds: Math.max(1, Math.ceil((account.nextAllowedAt - t) / 1000)) };
    }
    return { isAllowed: true };
  }

  /** A wrong password (or unknown email): counts against the account and the address. */
  recordFailure(email: string, address: string | null): void {
    const t = this.now();
    const key = email.toLowerCase();
    const account = this.account(email, t) ?? { failures: 0, lastFailureAt: t, nextAllowedAt: 0 };
    account.failures++;
    account.lastFailureAt = t;
    const over = account.failures - this.limits.freeFailuresPerAccount;
    if (over > 0) account.nextAllowedAt = t + Math.min(this.limits.maxDelayMs, this.limits.firstDelayMs * 2 ** (over - 1));
    this.accounts.delete(key); // re-insert: the map stays in least-recently-failed order for pruning
    this.accounts.set(key, account);
    if (address) {
      const list = this.recentAddressFailures(address, t);
      list.push(t);
      this.addresses.delete(address);
      this.addresses.set(address, list.slice(-this.limits.perAddressFailures));
    }
    this.prune();
  }

  /** A successful sign-in clears the account's count (not the address's). */
  recordSuccess(email: string): void {
    this.accounts.delete(email.toLowerCase());
  }

  private account(email: string, t: number): AccountState | undefined {
    const key = email.toLowerCase();
    const a = this.accounts.get(key);
    if (a && t - a.lastFailureAt > this.limits.windowMs) {
      this.accounts.delete(key);
      return undefined;
    }
    return a;
  }

  private recentAddressFailures(address: string | null, t: number): number[] {
    if (!address) return [];
    return (this.addresses.get(address) ?? []).filter((at) => t - at < this.limits.windowMs);
  }

  /** Bounded memory: the oldest entries go first (Maps iterate in insertion order). */
  private prune(): void {
    for (const map of [this.accounts, this.addresses] as Map<string, unknown>[]) {
      while (map.size > this.limits.maxTracked) {
        const first = map.keys().next();
        if (first.done) break;
        map.delete(first.value);
      }
    }
  }
}
