/**
 * `java.util.Random(seed).nextInt(bound)`: the JVM's 48-bit linear congruential generator.
 * States.MathRandom with a seed must give the same number for the same seed on every run and
 * every machine; reproducing the JVM's generator is the most plausible match for AWS as well.
 */
const MULTIPLIER = 0x5deece66dn;
const ADDEND = 0xbn;
const MASK = (1n << 48n) - 1n;

export function javaNextInt(seed: number, bound: number): number {
  let state = (BigInt(Math.trunc(seed)) ^ MULTIPLIER) & MASK;
  const next = (bits: number): number => {
    state = (state * MULTIPLIER + ADDEND) & MASK;
    return Number(BigInt.asIntN(32, state >> BigInt(48 - bits)));
  };
  if ((bound & -bound) === bound) {
    return Number((BigInt(bound) * BigInt(next(31))) >> 31n);
  }
  for (;;) {
    const bits = next(31);
    const value = bits % bound;
    // Java rejects the last partial window so every residue is equally likely (int overflow test).
    if (bits - value + (bound - 1) <= 0x7fffffff) return value;
  }
}
