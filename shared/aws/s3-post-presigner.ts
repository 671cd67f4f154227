/**
 * The S3 POST presigner, in a module of its own: only the function that hands out upload forms
 * (portal-submission) imports it, so the other bundles leave `@aws-sdk/s3-presigned-post` out (B3).
 */
export { createPresignedPost as s3PostPresigner } from '@aws-sdk/s3-presigned-post';
