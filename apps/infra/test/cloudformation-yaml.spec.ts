import { parseTemplate, TemplateParseError } from '../src/cloudformation-yaml';
import { render, type Json } from '../src/template';

const wrap = (properties: string) =>
  `Resources:\n  Thing:\n    Type: AWS::SQS::Queue\n    Properties:\n${properties
    .trim()
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n')}\n`;

const propertiesOf = (text: string) => parseTemplate(wrap(text)).Resources['Thing'].Properties;

describe('parseTemplate', () => {
  it('turns each short-form intrinsic tag into the long form CloudFormation reads', () => {
    // prepare
    const text = `
A: !Ref Topic
B: !GetAtt Queue.Arn
C: !GetAtt [Queue, QueueName]
D: !Sub '\${Bucket.Arn}/originals/*'
E: !Sub ['\${Name}-x', { Name: !Ref AWS::StackName }]
F: !Join ['', [a, !Ref B]]
G: !If [HasEmail, !Ref Email, !Ref AWS::NoValue]
H: !Not [!Equals [!Ref Email, '']]
I: !And [!Condition One, !Or [!Condition Two, !Condition Three]]
J: !Select [0, !Split [',', !ImportValue Shared]]
K: !FindInMap [Map, !Ref AWS::Region, Key]
L: !Base64 { 'Fn::Sub': x }
M: !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]
Z: !GetAZs ''
`;

    // act
    const properties = propertiesOf(text);

    // assess
    expect(properties).toEqual({
      A: { Ref: 'Topic' },
      B: { 'Fn::GetAtt': ['Queue', 'Arn'] },
      C: { 'Fn::GetAtt': ['Queue', 'QueueName'] },
      D: { 'Fn::Sub': '${Bucket.Arn}/originals/*' },
      E: { 'Fn::Sub': ['${Name}-x', { Name: { Ref: 'AWS::StackName' } }] },
      F: { 'Fn::Join': ['', ['a', { Ref: 'B' }]] },
      G: { 'Fn::If': ['HasEmail', { Ref: 'Email' }, { Ref: 'AWS::NoValue' }] },
      H: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Email' }, ''] }] },
      I: {
        'Fn::And': [
          { Condition: 'One' },
          { 'Fn::Or': [{ Condition: 'Two' }, { Condition: 'Three' }] },
        ],
      },
      J: { 'Fn::Select': [0, { 'Fn::Split': [',', { 'Fn::ImportValue': 'Shared' }] }] },
      K: { 'Fn::FindInMap': ['Map', { Ref: 'AWS::Region' }, 'Key'] },
      L: { 'Fn::Base64': { 'Fn::Sub': 'x' } },
      M: { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 2, 8] },
      Z: { 'Fn::GetAZs': '' },
    });
  });

  it('rejects an unknown tag rather than reading it as text', () => {
    // prepare
    const text = wrap('A: !Reference Topic');

    // act
    const parse = () => parseTemplate(text);

    // assess
    expect(parse).toThrow(TemplateParseError);
    expect(parse).toThrow(/Unresolved tag: !Reference/);
  });

  it('rejects a document without resources', () => {
    // prepare
    const text = 'Parameters: {}\n';

    // act
    const parse = () => parseTemplate(text);

    // assess
    expect(parse).toThrow('not a valid template: it has no Resources');
  });
});

describe('render', () => {
  it('renders a Sub, a Join and a GetAtt of the same ARN as the same text', () => {
    // prepare
    const forms: Json[] = [
      { 'Fn::Sub': '${Bucket.Arn}/originals/*' },
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Bucket', 'Arn'] }, '/originals/*']] },
      { 'Fn::Sub': ['${Arn}/originals/*', { Arn: { 'Fn::GetAtt': ['Bucket', 'Arn'] } }] },
    ];

    // act
    const rendered = forms.map(render);

    // assess
    expect(rendered).toEqual(Array(3).fill('${Bucket.Arn}/originals/*'));
  });
});
