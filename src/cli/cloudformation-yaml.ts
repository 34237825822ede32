/**
 * Parses CloudFormation YAML, including the short-form intrinsic tags (`!Ref`, `!Sub`, `!GetAtt`, ...), into the
 * same shape as the JSON form (`{"Ref": ...}`, `{"Fn::Sub": ...}`), so one judge reads both.
 */
import { parse, type ScalarTag, type CollectionTag, YAMLMap, YAMLSeq } from 'yaml';

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

/** Throws the yaml library's error (with line and column) on malformed input. */
export function parseCloudFormationYaml(text: string): unknown {
  return parse(text, { customTags: CUSTOM_TAGS, prettyErrors: true, uniqueKeys: true, maxAliasCount: 100 });
}
