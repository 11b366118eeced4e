/** Who an API key speaks for; what each role may see is in hub/personal-data.ts. */
export const ROLES = ['admin', 'consultant', 'analyst', 'bi', 'frontend'] as const;
export type Role = (typeof ROLES)[number];
