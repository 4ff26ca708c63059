import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { STAFF_ROLES } from '../../functions/core/access/roles.js';

/**
 * The staff identity provider: one Cognito user pool whose groups are the staff roles, and the app
 * client the console signs in with. Tokens carry the roles in `cognito:groups` and the office nodes a
 * member of staff is granted in `custom:offices` (ID token).
 *
 * Accounts are created by an administrator (no self sign-up), MFA by authenticator app is required,
 * and the Plus feature plan blocks risky sign-ins. Members of staff cannot write `custom:offices`
 * themselves: the app client may write only `locale`, so office scope changes only through the
 * administrator API.
 */
export class StaffDirectory extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;

  constructor(scope: Construct, id: string) {
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

    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      authFlows: { userSrp: true },
      disableOAuth: true,
      generateSecret: false,
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

    // Group names are the role names the functions check; they are the contract, not decoration.
    for (const role of STAFF_ROLES) {
      new CfnUserPoolGroup(this, `${role}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `parcelguard ${role}`,
      });
    }
  }
}
