import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnManagedLoginBranding,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  type IUserPool,
  ManagedLoginVersion,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { STAFF_ROLES } from '../../functions/core/access/roles.js';

export interface StaffDirectoryProps {
  /**
   * The Cognito prefix domain of managed login: `https://<prefix>.auth.<aws region>.amazoncognito.com`.
   * Unique per AWS region across all accounts; lower-case letters, digits and hyphens.
   */
  domainPrefix: string;
}

/** Cognito's rules for a prefix domain: 1 to 63 lower-case letters, digits and inner hyphens. */
const PREFIX_DOMAIN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** Words Cognito refuses in a prefix domain. */
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;

/** Throws unless Cognito would take `prefix` (without tokens) as a prefix domain. */
export const checkDomainPrefix = (prefix: string): void => {
  if (!PREFIX_DOMAIN.test(prefix) || RESERVED_IN_PREFIX.test(prefix)) {
    throw new Error(
      `staff domain prefix "${prefix}" must be 1 to 63 lower-case letters, digits and inner hyphens, ` +
        'without "aws", "amazon" or "cognito"',
    );
  }
};

/**
 * The staff identity provider: one Cognito user pool whose groups are the staff roles, and the managed
 * login domain staff sign in at. Tokens carry the roles in `cognito:groups` and the office nodes a member
 * of staff is granted in `custom:offices` (ID token).
 *
 * Accounts are created by an administrator (no self sign-up), MFA by authenticator app is required,
 * and the Plus feature plan blocks risky sign-ins. Managed login (version 2) takes a new member of staff
 * through the first sign-in: the new password and the authenticator app's enrolment. The app client the
 * console signs in with is `StaffConsoleClient`, in the service stack: its callback URL is the API's, and
 * the API is not known here.
 */
export class StaffDirectory extends Construct {
  readonly userPool: UserPool;
  readonly domain: UserPoolDomain;
  /** `https://<prefix>.auth.<aws region>.amazoncognito.com`: the authorization server of the console. */
  readonly signInUrl: string;

  constructor(scope: Construct, id: string, props: StaffDirectoryProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      customAttributes: { offices: new StringAttribute({ mutable: true, maxLen: 2048 }) },
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // Replacing the pool would lose every account and its MFA enrolment.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // A Cognito prefix domain: a custom domain needs a certificate and DNS the deployment does not own.
    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: props.domainPrefix },
      managedLoginVersion: ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    this.signInUrl = this.domain.baseUrl();
    // Kept with the pool: its groups hold every staff member's role, its domain the sign-in address.
    this.domain.applyRemovalPolicy(RemovalPolicy.RETAIN);

    // Group names are the role names the functions check; they are the contract, not decoration.
    for (const role of STAFF_ROLES) {
      new CfnUserPoolGroup(this, `${role}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `parcelguard ${role}`,
      }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    }
  }
}

export interface StaffConsoleClientProps {
  userPool: IUserPool;
  /** The console's address, `<api url>/console`: where managed login sends staff back, with the code. */
  consoleUrl: string;
}

/**
 * The app client the officers' console signs in with: the authorization code grant with PKCE through
 * managed login (no implicit grant, which puts tokens in URLs; no client secret, which a page cannot keep). Its callback and sign-out URL is the console's, which is why it lives
 * beside the API in the service stack: in the data stack with the pool it would need the API's URL, while
 * the API's authorizer needs the client, a cycle between the two stacks.
 *
 * The ID token carries what the functions read: `openid` alone returns every attribute the client may
 * read, `custom:offices` included. Members of staff cannot write `custom:offices` themselves: the client
 * may write only `locale`, so office scope changes only through the administrator API.
 */
export class StaffConsoleClient extends Construct {
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: StaffConsoleClientProps) {
    super(scope, id);

    this.client = new UserPoolClient(this, 'Client', {
      userPool: props.userPool,
      generateSecret: false,
      // As before managed login: SRP (the password never leaves the browser) and the refresh token.
      authFlows: { userSrp: true },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID],
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, preferredUsername: true })
        .withCustomAttributes('offices'),
      // Not an empty list: Cognito reads an empty WriteAttributes as unset, which lets a user write their
      // own attributes, `custom:offices` included (aws-cdk#30608): one harmless attribute instead.
      writeAttributes: new ClientAttributes().withStandardAttributes({ locale: true }),
    });

    // Managed login (version 2) shows its pages only for a client with a style: Cognito's own.
    new CfnManagedLoginBranding(this, 'ManagedLoginStyle', {
      userPoolId: props.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });
  }
}
