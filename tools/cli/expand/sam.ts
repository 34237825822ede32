/**
 * What the SAM transform (`AWS::Serverless-2016-10-31`) generates for each `AWS::Serverless::*` resource, so the gate
 * judges the CloudFormation types that will actually be deployed, not the SAM macro. Mapped from the SAM
 * specification's "Generated AWS CloudFormation resources" pages
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html).
 * Logical IDs follow SAM's naming where it is simple (`<Function>Role`, `<Function><Event>Permission`). A SAM type or
 * event type not mapped here is reported as not understood, which fails closed.
 */

export interface GeneratedResource {
  readonly logicalId: string;
  readonly type: string;
  /** Where it comes from, for the report: e.g. `SAM AWS::Serverless::Function Fn, event Nightly (ScheduleV2)`. */
  readonly origin: string;
  readonly properties?: Record<string, unknown>;
}

export interface SamExpansion {
  readonly resources: readonly GeneratedResource[];
  /** What the transform would do that the CLI does not understand: each fails closed. */
  readonly problems: readonly string[];
  /** A nested application (`AWS::Serverless::Application`): its Location, for the nested-stack check. */
  readonly nestedLocation?: unknown;
}

type Properties = Record<string, unknown>;

function record(value: unknown): Properties {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Properties) : {};
}

/** Event sources SAM turns into an event source mapping on the function. */
const POLLED_EVENTS = new Set(['SQS', 'Kinesis', 'DynamoDB', 'MSK', 'MQ', 'SelfManagedKafka', 'DocumentDB']);

class Generator {
  readonly resources: GeneratedResource[] = [];
  readonly problems: string[] = [];
  constructor(
    readonly samType: string,
    readonly logicalId: string,
  ) {}

  add(logicalId: string, type: string, detail = '', properties?: Properties): void {
    this.resources.push({
      logicalId,
      type,
      origin: `SAM ${this.samType} ${this.logicalId}${detail ? `, ${detail}` : ''}`,
      properties,
    });
  }
}

/** The implicit APIs SAM creates once per template for functions whose Api/HttpApi events name no API. */
export interface ImplicitApis {
  rest: boolean;
  http: boolean;
}

function eventSources(
  gen: Generator,
  events: Properties,
  target: 'function' | 'state machine',
  implicit: ImplicitApis,
): void {
  const id = gen.logicalId;
  // A function is invoked through a resource-based permission, a state machine through a role the source assumes.
  const invoke = (name: string, detail: string) =>
    target === 'function'
      ? gen.add(`${id}${name}Permission`, 'AWS::Lambda::Permission', detail)
      : gen.add(`${id}${name}Role`, 'AWS::IAM::Role', detail);
  for (const [name, raw] of Object.entries(events)) {
    const event = record(raw);
    const type = event.Type;
    const props = record(event.Properties);
    const detail = `event ${name} (${String(type)})`;
    if (typeof type !== 'string') {
      gen.problems.push(`${id}: event ${name} has no Type`);
      continue;
    }
    if (target === 'function' && POLLED_EVENTS.has(type)) {
      gen.add(`${id}${name}`, 'AWS::Lambda::EventSourceMapping', detail);
      continue;
    }
    switch (type) {
      case 'Schedule':
      case 'CloudWatchEvent':
      case 'EventBridgeRule':
        gen.add(`${id}${name}`, 'AWS::Events::Rule', detail);
        invoke(name, detail);
        if (record(props.DeadLetterConfig).Type === 'SQS') gen.add(`${id}${name}Queue`, 'AWS::SQS::Queue', detail);
        break;
      case 'ScheduleV2':
        gen.add(`${id}${name}`, 'AWS::Scheduler::Schedule', detail);
        if (props.RoleArn === undefined) gen.add(`${id}${name}Role`, 'AWS::IAM::Role', detail);
        break;
      case 'Api':
        if (props.RestApiId === undefined) implicit.rest = true;
        invoke(name, detail);
        break;
      case 'HttpApi':
        if (target !== 'function') {
          gen.problems.push(`${id}: event ${name}: HttpApi is a function event only`);
          break;
        }
        if (props.ApiId === undefined) implicit.http = true;
        invoke(name, detail);
        break;
      case 'S3':
      case 'Cognito':
        if (target !== 'function') {
          gen.problems.push(`${id}: event ${name}: ${type} is a function event only`);
          break;
        }
        // SAM adds a permission and edits the notification settings of the bucket or user pool, which must be a
        // resource of the same template and is judged there.
        invoke(name, detail);
        break;
      case 'SNS':
        if (target !== 'function') {
          gen.problems.push(`${id}: event ${name}: SNS is a function event only`);
          break;
        }
        gen.add(`${id}${name}`, 'AWS::SNS::Subscription', detail);
        if (props.SqsSubscription !== undefined && props.SqsSubscription !== false) {
          gen.add(`${id}${name}Queue`, 'AWS::SQS::Queue', detail);
          gen.add(`${id}${name}QueuePolicy`, 'AWS::SQS::QueuePolicy', detail);
          gen.add(`${id}${name}EventSourceMapping`, 'AWS::Lambda::EventSourceMapping', detail);
        } else invoke(name, detail);
        break;
      case 'CloudWatchLogs':
        gen.add(`${id}${name}`, 'AWS::Logs::SubscriptionFilter', detail);
        invoke(name, detail);
        break;
      case 'IoTRule':
        gen.add(`${id}${name}`, 'AWS::IoT::TopicRule', detail);
        invoke(name, detail);
        break;
      default:
        gen.problems.push(
          `${id}: event ${name} of type ${type} is not one the CLI understands, so what SAM generates for it cannot be judged`,
        );
    }
  }
}

function functionResources(gen: Generator, props: Properties, implicit: ImplicitApis): void {
  const id = gen.logicalId;
  gen.add(id, 'AWS::Lambda::Function');
  if (props.Role === undefined) gen.add(`${id}Role`, 'AWS::IAM::Role', 'execution role');
  if (props.AutoPublishAlias !== undefined) {
    gen.add(`${id}Version`, 'AWS::Lambda::Version', 'AutoPublishAlias');
    gen.add(`${id}Alias`, 'AWS::Lambda::Alias', 'AutoPublishAlias');
  }
  if (props.DeploymentPreference !== undefined) {
    gen.add('ServerlessDeploymentApplication', 'AWS::CodeDeploy::Application', 'DeploymentPreference');
    gen.add(`${id}DeploymentGroup`, 'AWS::CodeDeploy::DeploymentGroup', 'DeploymentPreference');
    gen.add('CodeDeployServiceRole', 'AWS::IAM::Role', 'DeploymentPreference');
  }
  if (props.FunctionUrlConfig !== undefined) {
    gen.add(`${id}Url`, 'AWS::Lambda::Url', 'FunctionUrlConfig');
    gen.add(`${id}UrlPublicPermissions`, 'AWS::Lambda::Permission', 'FunctionUrlConfig');
  }
  if (props.EventInvokeConfig !== undefined) {
    gen.add(`${id}EventInvokeConfig`, 'AWS::Lambda::EventInvokeConfig', 'EventInvokeConfig');
  }
  eventSources(gen, record(props.Events), 'function', implicit);
}

function domainResources(gen: Generator, props: Properties, http: boolean): void {
  const domain = record(props.Domain);
  if (props.Domain === undefined) return;
  const id = gen.logicalId;
  if (http) {
    gen.add(`${id}DomainName`, 'AWS::ApiGatewayV2::DomainName', 'Domain');
    gen.add(`${id}ApiMapping`, 'AWS::ApiGatewayV2::ApiMapping', 'Domain');
  } else {
    gen.add(`${id}DomainName`, 'AWS::ApiGateway::DomainName', 'Domain');
    gen.add(`${id}BasePathMapping`, 'AWS::ApiGateway::BasePathMapping', 'Domain');
  }
  if (domain.Route53 !== undefined) gen.add(`${id}RecordSetGroup`, 'AWS::Route53::RecordSetGroup', 'Domain.Route53');
}

/** The generated resources of one SAM resource. `implicit` collects the implicit APIs across the template. */
export function expandSamResource(
  logicalId: string,
  samType: string,
  properties: Properties,
  globals: Properties,
  implicit: ImplicitApis,
): SamExpansion {
  const gen = new Generator(samType, logicalId);
  const withGlobals = (section: string) => ({ ...record(globals[section]), ...properties });
  switch (samType) {
    case 'AWS::Serverless::Function':
      functionResources(gen, withGlobals('Function'), implicit);
      break;
    case 'AWS::Serverless::StateMachine':
      gen.add(logicalId, 'AWS::StepFunctions::StateMachine');
      if (properties.Role === undefined) gen.add(`${logicalId}Role`, 'AWS::IAM::Role', 'execution role');
      eventSources(gen, record(properties.Events), 'state machine', implicit);
      break;
    case 'AWS::Serverless::Api': {
      const props = withGlobals('Api');
      gen.add(logicalId, 'AWS::ApiGateway::RestApi');
      gen.add(`${logicalId}Deployment`, 'AWS::ApiGateway::Deployment');
      gen.add(`${logicalId}Stage`, 'AWS::ApiGateway::Stage');
      domainResources(gen, props, false);
      if (record(props.Auth).UsagePlan !== undefined) {
        gen.add(`${logicalId}UsagePlan`, 'AWS::ApiGateway::UsagePlan', 'Auth.UsagePlan');
        gen.add(`${logicalId}ApiKey`, 'AWS::ApiGateway::ApiKey', 'Auth.UsagePlan');
        gen.add(`${logicalId}UsagePlanKey`, 'AWS::ApiGateway::UsagePlanKey', 'Auth.UsagePlan');
      }
      break;
    }
    case 'AWS::Serverless::HttpApi':
      gen.add(logicalId, 'AWS::ApiGatewayV2::Api');
      gen.add(`${logicalId}Stage`, 'AWS::ApiGatewayV2::Stage');
      domainResources(gen, withGlobals('HttpApi'), true);
      break;
    case 'AWS::Serverless::SimpleTable':
      gen.add(logicalId, 'AWS::DynamoDB::Table');
      break;
    case 'AWS::Serverless::LayerVersion':
      gen.add(logicalId, 'AWS::Lambda::LayerVersion');
      break;
    case 'AWS::Serverless::Application':
      gen.add(logicalId, 'AWS::CloudFormation::Stack', 'nested application');
      return { resources: gen.resources, problems: gen.problems, nestedLocation: properties.Location ?? null };
    default:
      gen.problems.push(
        `${logicalId}: ${samType} is not a SAM resource type the CLI understands, so what SAM generates for it cannot be judged`,
      );
  }
  return { resources: gen.resources, problems: gen.problems };
}

/** The implicit APIs, added once after every function and state machine has been expanded. */
export function implicitApiResources(implicit: ImplicitApis): GeneratedResource[] {
  const origin = 'SAM implicit API for Api/HttpApi events without an API of their own';
  const out: GeneratedResource[] = [];
  if (implicit.rest) {
    out.push(
      { logicalId: 'ServerlessRestApi', type: 'AWS::ApiGateway::RestApi', origin },
      { logicalId: 'ServerlessRestApiDeployment', type: 'AWS::ApiGateway::Deployment', origin },
      { logicalId: 'ServerlessRestApiProdStage', type: 'AWS::ApiGateway::Stage', origin },
    );
  }
  if (implicit.http) {
    out.push(
      { logicalId: 'ServerlessHttpApi', type: 'AWS::ApiGatewayV2::Api', origin },
      { logicalId: 'ServerlessHttpApiApiGatewayDefaultStage', type: 'AWS::ApiGatewayV2::Stage', origin },
    );
  }
  return out;
}

export const SAM_TRANSFORM = 'AWS::Serverless-2016-10-31';
