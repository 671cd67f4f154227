import type { IConstruct } from 'constructs';

/**
 * CDK feature flags, frozen at the values `cdk init` recommends for aws-cdk-lib 2.276 and limited to the
 * services this app uses. They are App context *defaults*: `cdk.json` and `-c` still override them. Frozen
 * on purpose: an aws-cdk-lib upgrade must not silently change a resource (diff first, then flip a flag here).
 */
export const featureFlags: Readonly<Record<string, unknown>> = {
  '@aws-cdk/core:checkSecretUsage': true,
  '@aws-cdk/core:target-partitions': ['aws', 'aws-cn'],
  '@aws-cdk/core:validateSnapshotRemovalPolicy': true,
  '@aws-cdk/core:enablePartitionLiterals': true,
  '@aws-cdk/core:includePrefixInUniqueNameGeneration': true,
  '@aws-cdk/core:explicitStackTags': true,
  '@aws-cdk/core:aspectPrioritiesMutating': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName': true,
  '@aws-cdk/aws-s3:createDefaultLoggingPolicy': true,
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-s3:publicAccessBlockedByDefault': true,
  '@aws-cdk/aws-rds:databaseProxyUniqueResourceName': true,
  '@aws-cdk/aws-rds:auroraClusterChangeScopeOfInstanceParameterGroupWithEachParameters': true,
  '@aws-cdk/aws-rds:preventRenderingDeprecatedCredentials': true,
  '@aws-cdk/aws-secretsmanager:useAttachedSecretResourcePolicyForSecretTargetAttachments': true,
  '@aws-cdk/aws-ec2:restrictDefaultSecurityGroup': true,
  '@aws-cdk/aws-kms:aliasNameRef': true,
  '@aws-cdk/aws-kms:applyImportedAliasPermissionsToPrincipal': true,
  '@aws-cdk/aws-kms:reduceCrossAccountRegionPolicyScope': true,
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
  '@aws-cdk/aws-lambda:createNewPoliciesWithAddToRolePolicy': false,
  '@aws-cdk/aws-lambda:useCdkManagedLogGroup': true,
  '@aws-cdk/aws-lambda-nodejs:useLatestRuntimeVersion': true,
  '@aws-cdk/aws-lambda-nodejs:sdkV3ExcludeSmithyPackages': true,
  '@aws-cdk/aws-cloudwatch-actions:changeLambdaPermissionLogicalIdForLambdaAction': true,
  '@aws-cdk/custom-resources:logApiResponseDataPropertyTrueDefault': false,
  '@aws-cdk/customresources:installLatestAwsSdkDefault': false,
};

/**
 * Sets every flag above on `scope` unless the context already has a value (cdk.json, `-c`, App props).
 * Called first thing in each stack, so the stacks behave the same whoever builds the App.
 */
export function applyFeatureFlagDefaults(scope: IConstruct): void {
  for (const [flag, value] of Object.entries(featureFlags)) {
    if (scope.node.tryGetContext(flag) === undefined) scope.node.setContext(flag, value);
  }
}
