/**
 * Parses CloudFormation YAML, including the short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`, ...), into the
 * same shape as the JSON form (`{"Ref": ...}`, `{"Fn::Sub": ...}`), so one judge reads both.
 */
import { parseDocument, type ScalarTag, type CollectionTag, YAMLMap, YAMLSeq } from 'yaml';

/** Short-form tags and the long-form key each one stands for. */
const INTRINSICS: Readonly<Record<string, string>> = {
  Ref: 'Ref',
  Condition: 'Condition',
  Sub: 'Fn::Sub',
  GetAtt: 'Fn::GetAtt',
  Join: 'Fn::Join',
  Select: 'Fn::Select',
  Split: 'Fn::Split',
  If: 'Fn::If',
  Equals: 'Fn::Equals',
  Not: 'Fn::Not',
  And: 'Fn::And',
  Or: 'Fn::Or',
  FindInMap: 'Fn::FindInMap',
  ImportValue: 'Fn::ImportValue',
  Base64: 'Fn::Base64',
  Cidr: 'Fn::Cidr',
  GetAZs: 'Fn::GetAZs',
  Length: 'Fn::Length',
  ToJsonString: 'Fn::ToJsonString',
  Transform: 'Fn::Transform',
};

function scalarTag(name: string, key: string): ScalarTag {
  return {
    tag: `!${name}`,
    // `!GetAtt Resource.Attribute` is the one scalar form that the long form writes as a list.
    resolve: (value: string) => ({ [key]: name === 'GetAtt' ? splitGetAtt(value) : value }),
  };
}

function splitGetAtt(value: string): string[] {
  const dot = value.indexOf('.');
  return dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)];
}

function collectionTag(name: string, key: string, collection: 'seq' | 'map'): CollectionTag {
  return {
    tag: `!${name}`,
    collection,
    nodeClass: collection === 'seq' ? YAMLSeq : YAMLMap,
    resolve: (value) => ({ [key]: (value as YAMLSeq | YAMLMap).toJSON() }),
  } as CollectionTag;
}

const CUSTOM_TAGS = Object.entries(INTRINSICS).flatMap(([name, key]) => [
  scalarTag(name, key),
  collectionTag(name, key, 'seq'),
  collectionTag(name, key, 'map'),
]);

/** Bad template text: the message names what is wrong, the line where (1-based), when the parser knows it. */
export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

/**
 * Parses a CloudFormation template, JSON or YAML (JSON is YAML 1.2, so one parser reads both and reports both alike).
 * Refuses, with the line: malformed text, a duplicate key (JSON.parse would silently keep the last one, which could
 * hide a resource from the judge), and a tag that is not a CloudFormation intrinsic (`!Rain::Module` would otherwise
 * become a plain string, e.g. a resource Type named after a file).
 */
export function parseCloudFormationYaml(text: string): unknown {
  const document = parseDocument(text, {
    customTags: CUSTOM_TAGS,
    prettyErrors: true,
    uniqueKeys: true,
  });
  const problem = document.errors[0] ?? document.warnings.find((warning) => warning.code === 'TAG_RESOLVE_FAILED');
  if (problem) {
    const what =
      problem.code === 'TAG_RESOLVE_FAILED'
        ? `${problem.message.split(' at line')[0].replace('Unresolved tag', 'unknown YAML tag')} (not a CloudFormation intrinsic function)`
        : problem.code === 'DUPLICATE_KEY'
          ? 'duplicate key: CloudFormation keys must be unique'
          : problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new TemplateSyntaxError(what, problem.linePos?.[0].line);
  }
  return document.toJS({ maxAliasCount: 100 });
}

/** JSON.parse's own error, with the line computed from the position it reports (Node 20 gives a position only). */
function strictJsonError(text: string): TemplateSyntaxError | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    // "Unexpected end of JSON input" has no position: the problem is at the end.
    const at = position ? Number(position[1]) : /end of JSON/.test(message) ? text.trimEnd().length : undefined;
    const line = at === undefined ? undefined : text.slice(0, at).split('\n').length;
    return new TemplateSyntaxError(`not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`, line);
  }
}

/** A `.json` file must be strict JSON (YAML would accept `{"a": }`); then the shared parser finds duplicate keys. */
export function parseCloudFormationTemplate(text: string, isJson: boolean): unknown {
  if (isJson) {
    const error = strictJsonError(text);
    if (error) throw error;
  }
  return parseCloudFormationYaml(text);
}
