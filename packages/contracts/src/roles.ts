import type { Text } from './i18n.ts';

/**
 * Roles a user can be granted on an area (the grant covers the area and everything below it).
 * What each role may do is decided in @wangge/core (auth.policy.ts), not here.
 */
export const ROLES = [
  'system_admin',
  'leader',
  'command_center',
  'street_center',
  'community_staff',
  'grid_leader',
  'grid_worker',
  'dept_handler',
] as const;
export type Role = (typeof ROLES)[number];

export const roleLabels: Record<Role, Text> = {
  system_admin: { 'zh-CN': '系统管理员', en: 'System administrator' },
  leader: { 'zh-CN': '领导', en: 'Leader' },
  command_center: { 'zh-CN': '指挥中心', en: 'Command centre' },
  street_center: { 'zh-CN': '街道中心', en: 'Street centre' },
  community_staff: { 'zh-CN': '社区工作人员', en: 'Community staff' },
  grid_leader: { 'zh-CN': '网格长', en: 'Grid leader' },
  grid_worker: { 'zh-CN': '网格员', en: 'Grid worker' },
  dept_handler: { 'zh-CN': '部门办理人', en: 'Department handler' },
};
