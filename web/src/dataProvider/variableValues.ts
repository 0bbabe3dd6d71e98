import type { IntrospectionInputValue, IntrospectionType, IntrospectionTypeRef } from 'graphql';
import { findType, isListType, namedTypeOf } from './schemaTypes';

// Turns form and filter values into what the schema's argument types accept, and drops what it does not know.

const absent = Symbol('absent');
type Coerced = unknown | typeof absent;

function isEmpty(value: unknown): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

function coerceScalar(value: unknown, scalarName: string): Coerced {
  if (value instanceof Date) return value.toISOString();
  switch (scalarName) {
    case 'Int':
    case 'Float': {
      const number = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(number)) return absent;
      return scalarName === 'Int' ? Math.trunc(number) : number;
    }
    case 'Boolean':
      return value === true || value === 'true';
    case 'String':
    case 'ID':
      return typeof value === 'object' ? absent : String(value);
    // Exact decimals travel as strings: a form's text as typed, never through a float.
    case 'Decimal':
      return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : absent;
    default:
      return value;
  }
}

function coerceValue(value: unknown, reference: IntrospectionTypeRef, types: readonly IntrospectionType[]): Coerced {
  if (value === null) return reference.kind === 'NON_NULL' ? absent : null;
  if (isEmpty(value)) return absent;
  const inner = reference.kind === 'NON_NULL' ? reference.ofType : reference;
  if (inner.kind === 'LIST') {
    const items = (Array.isArray(value) ? value : [value])
      .map(item => coerceValue(item, inner.ofType, types))
      .filter(item => item !== absent);
    return items;
  }
  const named = namedTypeOf(inner);
  if (named.kind === 'INPUT_OBJECT') {
    const inputType = findType(types, named.name);
    if (!inputType || inputType.kind !== 'INPUT_OBJECT' || typeof value !== 'object') return absent;
    return coerceObject(value as Record<string, unknown>, inputType.inputFields, types);
  }
  if (named.kind === 'ENUM') return String(value);
  return coerceScalar(value, named.name);
}

/** Keeps the known fields of an input object, each coerced to its declared type. */
export function coerceObject(
  values: Record<string, unknown>,
  fields: readonly IntrospectionInputValue[],
  types: readonly IntrospectionType[],
): Record<string, unknown> {
  const coerced: Record<string, unknown> = {};
  for (const field of fields) {
    if (!(field.name in values)) continue;
    const value = coerceValue(values[field.name], field.type, types);
    if (value !== absent) coerced[field.name] = value;
  }
  return coerced;
}

/**
 * For a mutation: a nullable argument the form emptied is sent as null, and a list the form emptied as [], so each
 * can be cleared (a filter's empty list, by contrast, means "no filter" and is left out).
 */
export function coerceMutationArguments(
  values: Record<string, unknown>,
  argumentsDeclared: readonly IntrospectionInputValue[],
  types: readonly IntrospectionType[],
): Record<string, unknown> {
  const coerced = coerceObject(values, argumentsDeclared, types);
  for (const argument of argumentsDeclared) {
    const value = values[argument.name];
    if (!(argument.name in coerced) && value === '' && argument.type.kind !== 'NON_NULL') {
      coerced[argument.name] = null;
    }
    if (!(argument.name in coerced) && Array.isArray(value) && value.length === 0 && isListType(argument.type)) {
      coerced[argument.name] = [];
    }
  }
  return coerced;
}
