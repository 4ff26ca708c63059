import { App } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../infra/definitions.js';
import { addParcelguardStacks, DEFAULT_OPTIONS } from '../../infra/stacks/parcelguard-stacks.js';
import { logicalId, type SynthesizedParcelguard, synthParcelguard } from './synth-parcelguard.js';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** A deployment with its own sign-in domain prefix (`-c staffDomainPrefix=...`). */
const PREFIX = 'customs-staff-test';

describe('staff sign-in through Cognito managed login', () => {
  let parcelguard: SynthesizedParcelguard;
  let service: Template;
  /** `<api endpoint>/console`, as CloudFormation receives it. */
  let consoleUrl: unknown;
  const only = (template: Template, type: string): Resource => {
    const resources = Object.values(template.findResources(type)) as Resource[];
    expect(resources, type).toHaveLength(1);
    return resources[0]!;
  };

  beforeAll(() => {
    parcelguard = synthParcelguard({ staffDomainPrefix: PREFIX });
    service = parcelguard.service;
    consoleUrl = {
      'Fn::Join': [
        '',
        [{ 'Fn::GetAtt': [logicalId(parcelguard.serviceStack.api), 'ApiEndpoint'] }, '/console'],
      ],
    };
  });

  it('names the managed login domain with the prefix given', () => {
    // Act
    const domain = only(parcelguard.data, 'AWS::Cognito::UserPoolDomain');

    // Assess
    expect(domain.Properties).toMatchObject({ Domain: PREFIX, ManagedLoginVersion: 2 });
  });

  it('refuses a prefix Cognito would refuse, before anything is deployed', () => {
    // Act
    const attempts = ['Upper', 'has_underscore', 'my-aws-staff', '-leading', `${'x'.repeat(64)}`].map(
      (staffDomainPrefix) => () => addParcelguardStacks(new App(), { ...DEFAULT_OPTIONS, staffDomainPrefix }),
    );

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(/staff domain prefix/);
  });

  it('lets the console client use the authorization code grant only, back to the console, without a secret', () => {
    // Act
    const client = only(service, 'AWS::Cognito::UserPoolClient');

    // Assess
    expect(client.Properties).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid'],
      SupportedIdentityProviders: ['COGNITO'],
      GenerateSecret: false,
      CallbackURLs: [consoleUrl],
      LogoutURLs: [consoleUrl],
    });
    expect(client.Properties.AllowedOAuthFlows).not.toContain('implicit');
    expect(client.Properties.UserPoolId).toEqual(
      expect.objectContaining({ 'Fn::GetStackOutput': expect.anything() }),
    );
  });

  it('keeps the client settings of the staff directory: SRP, token validity, attributes', () => {
    // Act
    const { Properties } = only(service, 'AWS::Cognito::UserPoolClient');

    // Assess: a named write list (an empty one would be read as unset, every attribute writable)
    expect(Properties).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 720,
      WriteAttributes: ['locale'],
    });
    expect(Properties.ReadAttributes).toContain('custom:offices');
  });

  it("gives the client managed login's pages, in Cognito's own style", () => {
    // Act
    const style = only(service, 'AWS::Cognito::ManagedLoginBranding');

    // Assess
    expect(style.Properties).toMatchObject({
      ClientId: { Ref: logicalId(parcelguard.serviceStack.consoleClient.client) },
      UseCognitoProvidedValues: true,
    });
  });

  it('verifies staff tokens for the console client', () => {
    // Act
    const authorizer = only(service, 'AWS::ApiGatewayV2::Authorizer');

    // Assess
    expect(authorizer.Properties.JwtConfiguration).toMatchObject({
      Audience: [{ Ref: logicalId(parcelguard.serviceStack.consoleClient.client) }],
    });
  });

  it('tells the console function where staff sign in and with which client', () => {
    // Act
    const environment = (
      service.findResources('AWS::Lambda::Function')[
        logicalId(parcelguard.serviceStack.functions.console.function)
      ] as Resource
    ).Properties.Environment as { Variables: Record<string, unknown> };

    // Assess
    expect(environment.Variables.STAFF_CLIENT_ID).toEqual({
      Ref: logicalId(parcelguard.serviceStack.consoleClient.client),
    });
    expect(JSON.stringify(environment.Variables.STAFF_SIGN_IN_URL)).toMatch(
      /^\{"Fn::Join":\["",\["https:\/\/",\{"Fn::GetStackOutput".*"\.auth\.",\{"Ref":"AWS::Region"\},"\.amazoncognito\.com"\]\]\}$/,
    );
  });

  it('outputs the console URL, the sign-in domain and the client id', () => {
    // Act
    const outputs = service.findOutputs('*');

    // Assess
    expect(outputs.ConsoleUrl?.Value).toEqual(consoleUrl);
    expect(JSON.stringify(outputs.StaffSignInUrl?.Value)).toContain('.amazoncognito.com');
    expect(outputs.ConsoleClientId?.Value).toEqual({
      Ref: logicalId(parcelguard.serviceStack.consoleClient.client),
    });
  });

  it('serves GET /v1/offices to every staff role, through the gateway authorizer', () => {
    // Act
    const route = ROUTES.find((candidate) => `${candidate.method} ${candidate.path}` === 'GET /v1/offices');
    const gateway = Object.values(service.findResources('AWS::ApiGatewayV2::Route')).find(
      (candidate) => (candidate as Resource).Properties.RouteKey === 'GET /v1/offices',
    ) as Resource | undefined;

    // Assess
    expect(route).toMatchObject({
      functionName: 'console',
      auth: 'staff',
      roles: ['officer', 'analyst', 'admin'],
    });
    expect(gateway?.Properties.AuthorizationType).toBe('JWT');
  });
});
