import { templateTransforms } from '../../../lib/compliance/packs/template-transforms';

describe('templateTransforms', () => {
  test('the Transform section, as a string, a list or with parameters', () => {
    expect(templateTransforms({ Transform: 'AWS::Serverless-2016-10-31' })).toEqual([
      { name: 'AWS::Serverless-2016-10-31', location: 'Transform' },
    ]);
    expect(
      templateTransforms({ Transform: ['AWS::LanguageExtensions', { Name: 'Acme', Parameters: {} }] }).map(
        (t) => t.name,
      ),
    ).toEqual(['AWS::LanguageExtensions', 'Acme']);
  });

  test('Fn::Transform anywhere, with its JSON path', () => {
    const found = templateTransforms({
      Resources: { A: { Type: 'AWS::SQS::Queue', Properties: { X: [{ 'Fn::Transform': { Name: 'AWS::Include' } }] } } },
      Outputs: { O: { Value: { 'Fn::Transform': { Name: { Ref: 'P' } } } } },
    });
    expect(found).toEqual([
      { name: 'AWS::Include', location: 'Resources.A.Properties.X[0].Fn::Transform' },
      { name: 'a non-literal transform ({"Name":{"Ref":"P"}})', location: 'Outputs.O.Value.Fn::Transform' },
    ]);
  });

  test('none in a plain template', () => {
    expect(
      templateTransforms({ Resources: { A: { Type: 'AWS::SQS::Queue', Properties: { Transform: 'x' } } } }),
    ).toEqual([]);
  });
});
