import { useRef } from 'react';

/**
 * Every name seen so far on this page, sorted: a filter's choices do not shrink to the one picked when the server
 * answers for that one only.
 */
export function useKnownNames(names: readonly string[] | undefined): string[] {
  const known = useRef(new Set<string>());
  for (const name of names ?? []) known.current.add(name);
  return [...known.current].sort();
}
