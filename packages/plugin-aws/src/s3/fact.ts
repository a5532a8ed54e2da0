/** Something learned from AWS, or why it could not be learned (`AccessDenied on GetBucketAcl`). */
export type Fact<T> = { known: true; value: T } | { known: false; reason: string };

export const known = <T>(value: T): Fact<T> => ({ known: true, value });
export const unknown = (reason: string): Fact<never> => ({ known: false, reason });

/** A three-valued boolean: true, false or unknown with the reason. */
export type Tri = true | false | { unknown: string };

export function tri(fact: Fact<boolean>): Tri {
  return fact.known ? fact.value : { unknown: fact.reason };
}

/** Kleene OR: true wins over unknown, unknown over false. */
export function or(a: Tri, b: Tri): Tri {
  if (a === true || b === true) return true;
  if (a !== false) return a;
  return b;
}

/** Kleene AND: false wins over unknown, unknown over true. */
export function and(a: Tri, b: Tri): Tri {
  if (a === false || b === false) return false;
  if (a !== true) return a;
  return b;
}

export function not(a: Tri): Tri {
  return typeof a === 'boolean' ? !a : a;
}
