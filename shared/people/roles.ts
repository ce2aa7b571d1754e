/** Roles on a workstation. A person has one role; campaign-specific duties come from assignments. */
export const ROLES = ['organiser', 'lead', 'reviewer', 'observer'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  organiser: '组织者',
  lead: '评查组长',
  reviewer: '评查员',
  observer: '观察员',
};
