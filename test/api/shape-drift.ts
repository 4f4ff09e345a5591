/**
 * Type-level comparison of wire shapes, for the compile-time tests *.test-d.ts (checked by
 * `npm run typecheck`; vitest runs none of this). Each comparison is a union of messages, one per
 * difference, naming the member's path; `never` when there is none.
 */

/** Compiles only when `T` is `never`: otherwise tsc prints the messages `T` holds. */
export type NoDifference<T extends never> = T;

/** The messages one by one (tsc would print a nested comparison's name instead of its messages). */
export type Messages<T> = T extends string ? `${T}` : never;

/** Compiles only when `T` is `true`. */
export type Expect<T extends true> = T;

/** Exact type identity (not mere mutual assignability). */
export type Equals<X, Y> = (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

type Scalar = string | number | boolean | bigint | symbol | null | undefined;

type IsOptional<T, K extends keyof T> = Record<never, never> extends Pick<T, K> ? true : false;

type Same<A, B, P extends string> = [A] extends [B] ? ([B] extends [A] ? never : `${P}: types differ`) : `${P}: types differ`;

/**
 * How Stepwise's shape `B` differs from the SDK's `A`, in both directions, at any depth: members
 * only one side has, required on one side and optional on the other, or of another type (enum
 * values included). The SDK's `Date` is the wire's epoch-seconds `number`.
 */
export type Drift<A, B, P extends string> = [A] extends [Date]
  ? Same<number, B, P>
  : [A] extends [Scalar]
    ? Same<A, B, P>
    : [A] extends [readonly (infer EA)[]]
      ? [B] extends [readonly (infer EB)[]]
        ? Drift<NonNullable<EA>, NonNullable<EB>, `${P}[]`>
        : `${P}: a list in the SDK, not in Stepwise`
      : [B] extends [Scalar | readonly unknown[]]
        ? `${P}: a structure in the SDK, not in Stepwise`
        : string extends keyof A
          ? string extends keyof B
            ? Drift<NonNullable<A[string & keyof A]>, NonNullable<B[string & keyof B]>, `${P}{}`>
            : `${P}: a map in the SDK, not in Stepwise`
          : StructureDrift<A, B, P>;

type StructureDrift<A, B, P extends string> =
  | { [K in Exclude<keyof A, keyof B> & string]: `${P}.${K}: in the SDK, not in Stepwise` }[Exclude<keyof A, keyof B> & string]
  | { [K in Exclude<keyof B, keyof A> & string]: `${P}.${K}: in Stepwise, not in the SDK` }[Exclude<keyof B, keyof A> & string]
  | { [K in keyof A & keyof B & string]: Requiredness<A, B, K, `${P}.${K}`> | Drift<NonNullable<A[K]>, NonNullable<B[K]>, `${P}.${K}`> }[keyof A &
      keyof B &
      string];

type Requiredness<A, B, K extends keyof A & keyof B, P extends string> =
  IsOptional<A, K> extends IsOptional<B, K>
    ? never
    : IsOptional<A, K> extends true
      ? `${P}: optional in the SDK, required in Stepwise`
      : `${P}: required in the SDK, optional in Stepwise`;

/**
 * The members value `R` has that shape `S` does not declare, at any depth (`R` may be a union:
 * each of its members is checked). TypeScript itself does not reject them: an inferred return
 * type is checked for assignability only, and extra members are assignable.
 */
export type Excess<R, S, P extends string> = R extends unknown ? ExcessOf<R, S, P> : never;

type ExcessOf<R, S, P extends string> = [R] extends [Scalar]
  ? never
  : [R] extends [readonly (infer ER)[]]
    ? [S] extends [readonly (infer ES)[]]
      ? Excess<NonNullable<ER>, NonNullable<ES>, `${P}[]`>
      : never
    : string extends keyof S
      ? never
      : { [K in keyof R & string]: K extends keyof S ? Excess<NonNullable<R[K]>, NonNullable<S[K]>, `${P}.${K}`> : `${P}.${K}: answered, not in the shape` }[keyof R &
          string];
