/**
 * Failed sign-ins slow down guessing: after `max` failures for one access key id within
 * `windowMs`, further attempts for it are refused (429) until the oldest failure leaves the
 * window; a success clears its failures. Kept per process (a cluster multiplies the allowance by
 * its nodes). The map is bounded: the least recently failed keys make way.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly max = 10,
    private readonly windowMs = 5 * 60_000,
    private readonly maxKeys = 10_000,
  ) {}

  /** Milliseconds until an attempt for this key is allowed again (0: now). */
  retryAfter(accessKeyId: string): number {
    const recent = this.recent(accessKeyId);
    if (recent.length < this.max) return 0;
    return Math.max(0, (recent[0] as number) + this.windowMs - this.now());
  }

  failed(accessKeyId: string): void {
    const recent = this.recent(accessKeyId);
    recent.push(this.now());
    this.failures.delete(accessKeyId);
    this.failures.set(accessKeyId, recent);
    while (this.failures.size > this.maxKeys) {
      const oldest = this.failures.keys().next();
      if (oldest.done) break;
      this.failures.delete(oldest.value);
    }
  }

  succeeded(accessKeyId: string): void {
    this.failures.delete(accessKeyId);
  }

  private recent(accessKeyId: string): number[] {
    const since = this.now() - this.windowMs;
    return (this.failures.get(accessKeyId) ?? []).filter((t) => t > since);
  }
}
