import { z } from 'zod';
import { format, type Locale, type Text } from './i18n.ts';

/**
 * Every error the API can answer with: a stable code and its message in each language.
 * The HTTP status comes from the error's kind (decided by the domain), not from here.
 */
export const errorMessages = {
  'request.invalid': { 'zh-CN': '请求参数不正确：{detail}', en: 'The request is not valid: {detail}' },
  'request.malformed_json': { 'zh-CN': '请求体不是有效的 JSON', en: 'The request body is not valid JSON' },
  'request.too_large': { 'zh-CN': '请求体过大（上限 {limit} 字节）', en: 'The request body is too large (limit {limit} bytes)' },
  'request.unsupported_media_type': { 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  'request.rate_limited': { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests, please try again later' },
  'route.not_found': { 'zh-CN': '接口不存在', en: 'No such endpoint' },
  'internal': { 'zh-CN': '服务器内部错误（编号 {requestId}）', en: 'Internal server error (reference {requestId})' },
  'db.timeout': { 'zh-CN': '数据库查询超时，请稍后再试', en: 'The database query timed out, please try again' },
  'auth.required': { 'zh-CN': '请先登录', en: 'Please sign in first' },
  'auth.session_expired': { 'zh-CN': '会话已过期，请重新登录', en: 'Your session has expired, please sign in again' },
  'auth.invalid_credentials': { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  'auth.account_locked': {
    'zh-CN': '账号已锁定，请在 {minutes} 分钟后再试',
    en: 'The account is locked, try again in {minutes} minutes',
  },
  'auth.account_disabled': { 'zh-CN': '账号已停用', en: 'The account is disabled' },
  'auth.forbidden': { 'zh-CN': '没有权限执行此操作', en: 'You are not allowed to do this' },
  'auth.password_change_required': { 'zh-CN': '请先修改初始密码', en: 'Please change your initial password first' },
  'password.too_short': { 'zh-CN': '密码至少 {min} 位', en: 'The password must have at least {min} characters' },
  'password.too_weak': {
    'zh-CN': '密码须包含大写字母、小写字母、数字、符号中的至少 {classes} 类',
    en: 'The password must mix at least {classes} of: upper case, lower case, digits, symbols',
  },
  'password.wrong_current': { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  'password.same_as_old': { 'zh-CN': '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  'password.contains_username': { 'zh-CN': '密码不能包含用户名', en: 'The password must not contain the username' },
  'area.not_found': { 'zh-CN': '区域不存在或不在您的管辖范围内', en: 'The area does not exist or is outside your scope' },
  'area.division_not_found': { 'zh-CN': '找不到行政区划代码 {code}', en: 'No administrative division with code {code}' },
  'user.not_found': { 'zh-CN': '用户不存在或不在您的管辖范围内', en: 'The user does not exist or is outside your scope' },
  'user.username_taken': { 'zh-CN': '用户名 {username} 已被使用', en: 'The username {username} is already taken' },
  'user.cannot_disable_self': { 'zh-CN': '不能停用自己的账号', en: 'You cannot disable your own account' },
  'user.grant_exists': { 'zh-CN': '该用户已在此区域拥有此角色', en: 'The user already holds this role on this area' },
  'user.grant_not_found': { 'zh-CN': '授权不存在', en: 'No such grant' },
  'user.last_grant': { 'zh-CN': '用户至少需要保留一个授权', en: 'A user must keep at least one grant' },
  'audit.retention_too_short': {
    'zh-CN': '审计日志保留期不得少于 {min} 天',
    en: 'Audit logs must be kept at least {min} days',
  },
  'grid.cover_failed': {
    'zh-CN': '网格未能无缝覆盖上级区域：{detail}',
    en: 'The grids do not cover their parent seamlessly: {detail}',
  },
  'grid.not_a_grid': { 'zh-CN': '该区域不是网格', en: 'This area is not a grid' },
  'grid.parent_cannot_hold_grids': { 'zh-CN': '只能在社区/村或网格下划分网格', en: 'Grids can only be drawn inside a community/village or another grid' },
  'grid.code_taken': { 'zh-CN': '网格编码 {code} 已被使用', en: 'The grid code {code} is already in use' },
  'grid.code_not_in_parent': { 'zh-CN': '网格编码 {code} 必须以上级编码 {parent} 开头', en: 'The grid code {code} must start with the parent code {parent}' },
  'grid.parent_has_no_geometry': { 'zh-CN': '上级区域尚无边界，请先绘制上级边界', en: 'The parent area has no boundary yet: draw it first' },
  'grid.not_in_parent': { 'zh-CN': '网格 {code} 不属于此上级区域', en: 'Grid {code} does not belong to this parent' },
  'grid.adjustment_not_latest': {
    'zh-CN': '只能撤销该区域最近一次未撤销的调整',
    en: 'Only the latest adjustment of this area that is not yet reverted can be reverted',
  },
  'grid.adjustment_not_found': { 'zh-CN': '调整记录不存在', en: 'No such adjustment' },
  'grid.import_invalid': { 'zh-CN': '导入文件无效：{detail}', en: 'The import file is not valid: {detail}' },
  'grid.nothing_to_number': { 'zh-CN': '没有可编号的基础网格', en: 'There are no basic grids to number' },
  'geometry.invalid': { 'zh-CN': '图形无效：{detail}', en: 'The geometry is not valid: {detail}' },
  'adjust.line_does_not_split': {
    'zh-CN': '分割线须从网格外一侧完整穿过网格到另一侧，且只穿过一次（与边界相交 {crossings} 次）',
    en: 'The cutting line must cross the grid once, from outside on one side to outside on the other ({crossings} boundary crossings)',
  },
  'adjust.not_adjacent': {
    'zh-CN': '所选网格不相邻，无法合并（合并后为 {parts} 块）',
    en: 'The grids are not adjacent and cannot be merged (they form {parts} separate parts)',
  },

  'building.not_found': { 'zh-CN': '楼栋不存在或不在您的管辖范围内', en: 'The building does not exist or is outside your scope' },
  'building.outside_grids': { 'zh-CN': '该位置不在任何网格内', en: 'This location is not inside any grid' },
  'building.pin_reason_required': { 'zh-CN': '手动指定网格时须填写原因', en: 'A reason is required to assign a grid by hand' },
  'staff.not_found': { 'zh-CN': '网格人员不存在', en: 'No such grid staff member' },
  'person.id_invalid_length': { 'zh-CN': '公民身份号码应为 18 位（当前 {length} 位）', en: 'An ID number has 18 characters (this one has {length})' },
  'person.id_invalid_chars': {
    'zh-CN': '公民身份号码前 17 位须为数字，最后一位为数字或 X',
    en: 'The first 17 characters of an ID number are digits and the last is a digit or X',
  },
  'person.id_unknown_area': { 'zh-CN': '公民身份号码的地址码 {area} 不存在', en: 'The area code {area} of the ID number does not exist' },
  'person.id_bad_birth_date': { 'zh-CN': '公民身份号码中的出生日期 {date} 无效', en: 'The birth date {date} in the ID number is not valid' },
  'person.id_bad_check_digit': {
    'zh-CN': '公民身份号码校验位不正确，请逐位核对号码',
    en: "The ID number's check character does not match; please check every digit",
  },
  'org.uscc_invalid_length': {
    'zh-CN': '统一社会信用代码应为 18 位（当前 {length} 位）',
    en: 'A unified social credit code has 18 characters (this one has {length})',
  },
  'org.uscc_invalid_chars': {
    'zh-CN': '统一社会信用代码含有不允许的字符「{char}」（不使用 I、O、S、V、Z，第 3–8 位须为数字）',
    en: 'The unified social credit code contains a character that is not allowed: {char} (I, O, S, V and Z are not used; characters 3–8 are digits)',
  },
  'org.uscc_bad_check_char': {
    'zh-CN': '统一社会信用代码校验位不正确，请逐位核对代码',
    en: 'The check character of the unified social credit code does not match; please check every character',
  },
  'person.phone_invalid': {
    'zh-CN': '联系电话格式不正确（须为手机号或带区号的固定电话）',
    en: 'The phone number is not valid (a mobile number or a landline with its area code)',
  },
  'case.not_found': { 'zh-CN': '事件不存在或不在您的管辖范围内', en: 'The case does not exist or is outside your scope' },
  'case.transition_not_allowed': {
    'zh-CN': '当前状态「{state}」下不能执行「{action}」',
    en: '“{action}” cannot be done while the case is “{state}”',
  },
  'case.guard_failed': { 'zh-CN': '不能执行「{action}」：{why}', en: '“{action}” cannot be done: {why}' },
  'case.field_required': { 'zh-CN': '「{action}」须填写：{field}', en: '“{action}” needs: {field}' },
  'case.field_not_allowed': { 'zh-CN': '「{action}」不接受字段：{field}', en: '“{action}” does not take: {field}' },
  'case.conflict': {
    'zh-CN': '该事件已被他人处理（当前版本 {version}），请刷新后重试',
    en: 'Someone else changed this case (now version {version}); reload and try again',
  },
  'case.category_not_found': { 'zh-CN': '事件分类不存在', en: 'No such case category' },
  'case.category_inactive': { 'zh-CN': '事件分类「{name}」已停用', en: 'The case category “{name}” is no longer in use' },
  'case.category_not_leaf': { 'zh-CN': '请选择最末级分类（「{name}」下还有子分类）', en: 'Choose a category at the lowest level (“{name}” has subcategories)' },
  'case.category_code_taken': { 'zh-CN': '分类编码 {code} 已被使用', en: 'The category code {code} is already in use' },
  'case.category_too_deep': { 'zh-CN': '事件分类最多三级（大类/小类/细类）', en: 'Categories have at most three levels' },
  'case.extra_field_invalid': { 'zh-CN': '附加字段「{field}」填写不正确', en: 'The extra field “{field}” is not valid' },
  'case.unit_not_found': { 'zh-CN': '处置单位不存在', en: 'No such handling unit' },
  'case.not_unit_member': { 'zh-CN': '您不是该事件处置单位的成员', en: 'You are not a member of the unit handling this case' },
  'case.location_required': { 'zh-CN': '请在地图上选点、填写地址所在楼栋或指定网格', en: 'Pick the place on the map, choose a building or name the grid' },
  'case.outside_grids': { 'zh-CN': '该位置不在任何网格内，请指定网格', en: 'This place is not inside any grid; name the grid' },
  'case.grid_not_at_place': {
    'zh-CN': '所选网格不在该位置（也不在其边界附近），请核对位置或网格',
    en: 'The chosen grid is not at this place (nor next to its boundary); check the place or the grid',
  },
  'request.conflict': { 'zh-CN': '数据已被同时修改，请刷新后重试', en: 'The data was changed at the same time; reload and try again' },
  'case.grid_not_found': { 'zh-CN': '网格不存在或不在您的管辖范围内', en: 'The grid does not exist or is outside your scope' },
  'case.merge_target_invalid': { 'zh-CN': '只能合并到另一件未结案的事件', en: 'A case can only be merged into another open case' },
  'case.rule_not_found': { 'zh-CN': '分拨规则不存在', en: 'No such routing rule' },
  'case.attachment_not_found': { 'zh-CN': '附件不存在', en: 'No such attachment' },
  'case.tracking_invalid': { 'zh-CN': '事件编号或查询码不正确', en: 'The case number or tracking code is wrong' },
  'case.rate_not_allowed': { 'zh-CN': '该事件现在不能评价', en: 'This case cannot be rated now' },
  'case.reveal_not_allowed': { 'zh-CN': '您的角色不能查看完整号码', en: 'Your role may not see the full number' },
  'attachment.too_large': { 'zh-CN': '文件过大（上限 {limit} MB）', en: 'The file is too large (limit {limit} MB)' },
  'attachment.unsupported_type': {
    'zh-CN': '不支持的文件类型（图片：JPEG/PNG/WebP；语音：MP3/M4A/AAC/OGG/WAV/WebM）',
    en: 'Unsupported file type (images: JPEG/PNG/WebP; voice: MP3/M4A/AAC/OGG/WAV/WebM)',
  },
  'attachment.invalid_image': { 'zh-CN': '图片文件已损坏或无法识别', en: 'The image is damaged or cannot be read' },
  'calendar.invalid': { 'zh-CN': '工作日历设置不正确：{detail}', en: 'The working calendar is not valid: {detail}' },
  'calendar.day_not_found': { 'zh-CN': '该日期没有设置记录', en: 'That date has no entry' },
  'webhook.not_found': { 'zh-CN': 'Webhook 不存在', en: 'No such webhook' },
  'notification.not_found': { 'zh-CN': '通知不存在', en: 'No such notification' },
  'registry.not_found': { 'zh-CN': '记录不存在或不在您的管辖范围内', en: 'The record does not exist or is outside your scope' },
  'registry.field_unknown': { 'zh-CN': '未知字段「{field}」', en: 'Unknown field “{field}”' },
  'registry.field_derived': { 'zh-CN': '「{field}」由系统计算，不能填写', en: '“{field}” is computed by the system and cannot be written' },
  'registry.field_required': { 'zh-CN': '请填写「{field}」', en: '“{field}” is required' },
  'registry.field_invalid': { 'zh-CN': '「{field}」填写不正确：{detail}', en: '“{field}” is not valid: {detail}' },
  'registry.code_unknown': { 'zh-CN': '「{field}」没有代码「{code}」', en: '“{field}” has no code “{code}”' },
  'registry.ref_not_found': { 'zh-CN': '「{field}」指向的记录不存在或不在您的管辖范围内', en: 'The record “{field}” points to does not exist or is outside your scope' },
  'registry.conflict': { 'zh-CN': '该记录已被他人修改（当前版本 {version}），请刷新后重试', en: 'Someone else changed this record (now version {version}); reload and try again' },
  'registry.version_required': { 'zh-CN': '修改时须提供读取时的版本号', en: 'An update must give the version it read' },
  'registry.duplicate_id': { 'zh-CN': '本区已有证件号码相同的人员「{name}」', en: 'Someone with this ID number is already registered in this district: {name}' },
  'registry.duplicate_key': { 'zh-CN': '「{field}」为「{value}」的记录已存在', en: 'A record with {field} “{value}” already exists' },
  'registry.two_heads': { 'zh-CN': '该户已有户主「{name}」，一户只能有一位户主', en: 'This household already has a head ({name}); a household has one head' },
  'registry.has_children': { 'zh-CN': '还有 {count} 条「{ledger}」记录属于它，请先处理', en: '{count} records of “{ledger}” still belong to it; deal with them first' },
  'registry.grid_required': { 'zh-CN': '请指定所在网格', en: 'Name the grid it lies in' },
  'registry.outside_grids': { 'zh-CN': '该位置不在任何网格内', en: 'This location is not inside any grid' },
  'registry.id_mismatch': { 'zh-CN': '「{field}」与证件号码不一致（证件号码为 {fromId}）', en: '“{field}” does not agree with the ID number (which says {fromId})' },
  'registry.reveal_not_allowed': { 'zh-CN': '您的角色不能查看完整信息', en: 'Your role may not see the full value' },
  'registry.field_not_sensitive': { 'zh-CN': '「{field}」不是需要查看的敏感字段', en: '“{field}” is not a masked field' },
  'registry.special_not_allowed': { 'zh-CN': '您的角色不能查看特殊人群信息', en: 'Your role may not see special-group records' },
  'registry.tag_not_found': { 'zh-CN': '标签「{tag}」不存在或已停用', en: 'The tag “{tag}” does not exist or is no longer in use' },
  'registry.tag_exists': { 'zh-CN': '该人员已有标签「{tag}」', en: 'This person already has the tag “{tag}”' },
  'registry.tag_record_not_found': { 'zh-CN': '标签记录不存在', en: 'No such tag record' },
  'registry.search_empty': { 'zh-CN': '请输入姓名、拼音首字母、证件号码、电话或地址', en: 'Type a name, pinyin initials, an ID number, a phone or an address' },
  'registry.import_too_large': { 'zh-CN': '导入文件过大（上限 {limit} MB）', en: 'The import file is too large (limit {limit} MB)' },
  'registry.import_malformed': { 'zh-CN': '无法读取导入文件：{detail}', en: 'The import file cannot be read: {detail}' },
  'registry.import_header_missing': { 'zh-CN': '导入文件缺少列：{columns}（请使用下载的模板）', en: 'The import file lacks the columns: {columns} (use the downloaded template)' },
  'registry.import_not_found': { 'zh-CN': '导入记录不存在', en: 'No such import' },
  'registry.import_not_rollbackable': { 'zh-CN': '该导入当前不能撤销（{status}）', en: 'This import cannot be rolled back now ({status})' },
  'registry.import_superseded': { 'zh-CN': '导入的记录此后又被修改过（{title}），不能撤销', en: 'Records of this import were changed since ({title}); it cannot be rolled back' },
  'registry.import_row_duplicate': { 'zh-CN': '与第 {row} 行重复', en: 'Same record as row {row}' },
} as const satisfies Record<string, Text>;

export type ErrorCode = keyof typeof errorMessages;

export function errorMessage(code: ErrorCode, locale: Locale, params?: Record<string, string | number>): string {
  return format(errorMessages[code][locale], params);
}

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
