/**
 * The people of an organization and what their personal keys may do (docs/api.md, "Users"). A user's role maps
 * onto one of the three key roles, so every route's access list and every row-level policy applies unchanged.
 */
export const userRoles = ['admin', 'recruiter', 'hiring_manager', 'agency_recruiter'] as const;
export type UserRole = (typeof userRoles)[number];

/** The key role a user of each role acts with. */
export const keyRoleOfUser = {
  admin: 'admin',
  // recruiters and hiring managers work the ATS side of the pipeline and the recruiting record
  recruiter: 'ats',
  hiring_manager: 'ats',
  // an agency's recruiters submit candidates and act in the portal stages, as a portal key does
  agency_recruiter: 'portal',
} as const satisfies Record<UserRole, 'admin' | 'ats' | 'portal'>;
