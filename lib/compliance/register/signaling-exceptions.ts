import type { ComplianceException } from '../exception';
import { NEXT_REVIEW, OWNER } from './review';

const STACK = 'HipaaRtcSignaling';
const FUNCTIONS = [
  'Authorizer',
  'Connect',
  'Disconnect',
  'Default',
  'Join',
  'Signal',
  'Leave',
  'IceServers',
  'PreToken',
];
/** Functions that post to connections through the API Gateway Management API. */
const POSTING_FUNCTIONS = ['Connect', 'Disconnect', 'Join', 'Signal', 'Leave'];
const UNAUTHORIZED_ROUTES = ['$disconnect', '$default', 'join', 'signal', 'leave', 'ice-servers'];

const common = { owner: OWNER, expires: NEXT_REVIEW };

/** Findings on the Signaling stack that follow from how API Gateway WebSocket APIs and Lambda work. */
export function signalingExceptions(): ComplianceException[] {
  return [
    ...FUNCTIONS.flatMap((name): ComplianceException[] => {
      const path = `${STACK}/${name}/Resource/Resource`;
      return [
        {
          ruleId: 'HIPAA.Security-LambdaDLQ',
          path,
          reason:
            'API Gateway (and Cognito, for the pre-token trigger) invokes these functions synchronously; a dead-letter queue only receives failed asynchronous invocations, so it would never hold anything.',
          compensatingControl:
            'Every failure returns an error frame to the caller (or a 401 at $connect) and is logged without payloads to the KMS-encrypted function log group.',
          safeguard: '164.312(b) audit controls',
          ...common,
        },
        {
          ruleId: 'HIPAA.Security-LambdaInsideVPC',
          path,
          reason:
            'The handlers call only AWS APIs (DynamoDB, API Gateway Management, Secrets Manager) and the issuer JWKS over TLS; a VPC would need interface endpoints and a NAT for the JWKS and adds no control over these calls.',
          compensatingControl:
            'Least-privilege roles per function (customer-managed policies), TLS 1.2+ to every endpoint, no inbound network path, CloudTrail data events on the table.',
          safeguard: '164.312(e)(1) transmission security',
          ...common,
        },
        {
          ruleId: 'HIPAA.Security-LambdaConcurrency',
          path,
          reason:
            'Reserved concurrency is set through config (signaling.reservedConcurrency); the default leaves it unset because new accounts have a Lambda quota of 10, where any reservation fails deployment.',
          compensatingControl:
            'Stage-wide route throttling (signaling.throttle) caps the invocation rate; rooms are capped in size.',
          safeguard: '164.308(a)(7)(ii)(B) disaster recovery plan',
          ...common,
        },
      ];
    }),
    ...UNAUTHORIZED_ROUTES.map((route): ComplianceException => ({
      ruleId: 'AwsSolutions-APIG4',
      path: `${STACK}/Api/WebSocketApi/${route}-Route/Resource`,
      reason:
        'API Gateway WebSocket APIs authorize only the $connect route; every later message travels on the connection $connect already authorized.',
      compensatingControl:
        'The $connect REQUEST authorizer verifies the JWT (signature, issuer, audience, expiry, PHI-free subject); handlers check room membership from the authorizer context on every message.',
      safeguard: '164.312(d) person or entity authentication',
      ...common,
    })),
    ...POSTING_FUNCTIONS.map((name): ComplianceException => ({
      ruleId:
        'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<ApiWebSocketApi2D925C7A>/live/POST/@connections/*]',
      path: `${STACK}/${name}/Policy/Resource`,
      reason:
        'Connection IDs exist only at run time, so posting to a peer can only be allowed on the connections path of this one API and stage.',
      compensatingControl:
        'The wildcard is limited to POST on @connections of this API and stage; handlers only post to connections in the sender\u2019s own room.',
      safeguard: '164.308(a)(4) information access management',
      ...common,
    })),
  ];
}
