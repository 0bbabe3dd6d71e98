import type {
  IntrospectionField,
  IntrospectionInputValue,
  IntrospectionNamedTypeRef,
  IntrospectionObjectType,
  IntrospectionType,
  IntrospectionTypeRef,
} from 'graphql';

// Small readers over the introspected schema, shared by the query builders.

export function namedTypeOf(reference: IntrospectionTypeRef): IntrospectionNamedTypeRef {
  let current = reference;
  while (current.kind === 'NON_NULL' || current.kind === 'LIST') current = current.ofType;
  return current as IntrospectionNamedTypeRef;
}

export function isListType(reference: IntrospectionTypeRef): boolean {
  const inner = reference.kind === 'NON_NULL' ? reference.ofType : reference;
  return inner.kind === 'LIST';
}

/** Writes a type reference the way a variable declaration spells it, e.g. `[ID!]!`. */
export function typeReferenceToString(reference: IntrospectionTypeRef): string {
  if (reference.kind === 'NON_NULL') return `${typeReferenceToString(reference.ofType)}!`;
  if (reference.kind === 'LIST') return `[${typeReferenceToString(reference.ofType)}]`;
  return reference.name;
}

export function findType(types: readonly IntrospectionType[], name: string): IntrospectionType | undefined {
  return types.find(type => type.name === name);
}

const maximumSelectionDepth = 2;

/** Selects every scalar field of a type, and the scalar fields of its object fields, a level or two down. */
export function selectionSetFor(
  type: IntrospectionObjectType,
  types: readonly IntrospectionType[],
  omittedFields: readonly string[] = [],
  depth = 0,
): string {
  const selections = type.fields
    .filter(field => field.args.every(argument => argument.type.kind !== 'NON_NULL'))
    .filter(field => depth > 0 || !omittedFields.includes(field.name))
    .map(field => selectionFor(field, types, depth))
    .filter((selection): selection is string => selection !== null);
  return `{ ${selections.join(' ')} }`;
}

function selectionFor(field: IntrospectionField, types: readonly IntrospectionType[], depth: number): string | null {
  const named = namedTypeOf(field.type);
  if (named.kind === 'SCALAR' || named.kind === 'ENUM') return field.name;
  if (named.kind !== 'OBJECT' || depth >= maximumSelectionDepth) return null;
  const objectType = findType(types, named.name);
  if (!objectType || objectType.kind !== 'OBJECT') return null;
  return `${field.name} ${selectionSetFor(objectType, types, [], depth + 1)}`;
}

/** `($page: Int, $filter: RequestFilter)` for the arguments that are given a value. */
export function variableDeclarations(argumentsUsed: readonly IntrospectionInputValue[]): string {
  if (argumentsUsed.length === 0) return '';
  return `(${argumentsUsed.map(argument => `$${argument.name}: ${typeReferenceToString(argument.type)}`).join(', ')})`;
}

/** `(page: $page, filter: $filter)` */
export function argumentList(argumentsUsed: readonly IntrospectionInputValue[], prefix = ''): string {
  if (argumentsUsed.length === 0) return '';
  return `(${argumentsUsed.map(argument => `${argument.name}: $${prefix}${argument.name}`).join(', ')})`;
}
