import { Scalar, type CustomScalar } from '@nestjs/graphql';
import { Kind, type ObjectFieldNode, type ValueNode } from 'graphql';

/** Deeper JSON than this is no document anyone writes; it bounds what a hostile literal can make us build. */
const MAX_DEPTH = 32;

/**
 * Any JSON value: documents that have their own contract and validator (policy documents), passed through whole
 * so the validator can name every bad field instead of GraphQL refusing the first. Numbers in a query literal keep
 * their source text where a double would round them (a limit of 0.1 stays "0.1").
 */
@Scalar('JSON')
export class JsonScalar implements CustomScalar<unknown, unknown> {
  readonly description = 'A JSON value (object, array, string, number, boolean or null).';

  serialize(value: unknown): unknown {
    return value;
  }

  parseValue(value: unknown): unknown {
    return value;
  }

  parseLiteral(node: ValueNode, variables?: Record<string, unknown> | null): unknown {
    return literalValue(node, variables ?? {}, 0);
  }
}

function literalValue(node: ValueNode, variables: Record<string, unknown>, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new TypeError(`JSON nested deeper than ${MAX_DEPTH} levels`);
  switch (node.kind) {
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.INT:
    case Kind.FLOAT: {
      const number = Number(node.value);
      return String(number) === node.value && Number.isSafeInteger(Math.trunc(number)) ? number : node.value;
    }
    case Kind.LIST:
      return node.values.map((item) => literalValue(item, variables, depth + 1));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field: ObjectFieldNode) => [field.name.value, literalValue(field.value, variables, depth + 1)]));
    case Kind.VARIABLE:
      return variables[node.name.value];
  }
}
