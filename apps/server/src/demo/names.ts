import type { Rand } from './random.ts';

// Material for believable people and companies, Chinese and international.
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '建华', '志强', '晓东', '丽华', '海燕', '文博', '子涵', '雨桐'];
const EN_FIRST = ['James', 'Emma', 'Oliver', 'Sophia', 'Lucas', 'Mia', 'Henry', 'Chloe', 'Daniel', 'Grace', 'David', 'Lily', 'Michael', 'Anna', 'Thomas'];
const EN_LAST = ['Smith', 'Miller', 'Wong', 'Chen', 'Brown', 'Taylor', 'Lee', 'Walker', 'Young', 'King', 'Schmidt', 'Tanaka', 'Kim', 'Müller'];
const CITIES = ['上海', '北京', '深圳', '杭州', '苏州', '南京', '广州', '成都', '武汉', '西安', '宁波', '青岛', '厦门', '天津', '重庆', '合肥'];
const WORDS = ['云启', '恒信', '华拓', '中科', '瑞达', '博远', '鼎新', '卓越', '汇通', '联创', '智航', '天成', '金石', '宏图', '新元', '海纳', '远景', '星辰', '德润', '嘉禾'];
const KINDS = ['科技', '智能制造', '实业', '医疗器械', '物流', '贸易', '信息技术', '电子', '新能源', '生物科技'];
const EN_CO = ['Northwind', 'Contoso', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Acme', 'Tyrell', 'Soylent', 'Vandelay', 'Hooli'];
const EN_SUFFIX = ['Trading Ltd.', 'Asia Pacific Ltd.', 'China Co., Ltd.', 'Technologies (Shanghai) Co., Ltd.', 'Logistics Ltd.'];
const TITLES = ['采购经理', 'IT 总监', '运营总监', '总经理', '财务经理', '信息化负责人', 'CTO', 'Procurement Manager', 'Head of IT', 'COO'];

export const REGIONS = ['华东', '华北', '华南', '西南', '华中'] as const;
export const INDUSTRIES = ['制造业', '零售', '金融', '医疗', '教育', '物流', '能源', '互联网'] as const;
export const SOURCES = [
  ['官网表单', 30],
  ['展会', 15],
  ['百度推广', 15],
  ['微信公众号', 12],
  ['合作伙伴', 10],
  ['电话外呼', 8],
  ['客户推荐', 10],
] as const;
export const CAMPAIGNS = ['2026 春季新品发布会', '工博会 2026', '数字化转型白皮书', 'ERP 迁移网络研讨会', '年终大促', null] as const;

export function person(r: Rand): { name: string; email: string; phone: string; title: string } {
  const english = r.chance(0.2);
  const name = english ? `${r.pick(EN_FIRST)} ${r.pick(EN_LAST)}` : `${r.pick(SURNAMES)}${r.pick(GIVEN)}`;
  const handle = english ? name.toLowerCase().replace(/[^a-z]+/g, '.') : `user${r.int(1000, 99999)}`;
  return {
    name,
    email: `${handle}${r.int(1, 99)}@example.com`,
    phone: `+86 1${r.pick(['3', '5', '8', '9'])}${r.int(0, 9)} ${r.int(1000, 9999)} ${r.int(1000, 9999)}`,
    title: r.pick(TITLES),
  };
}

export function company(r: Rand): string {
  if (r.chance(0.12)) return `${r.pick(EN_CO)} ${r.pick(EN_SUFFIX)}`;
  return `${r.pick(CITIES)}${r.pick(WORDS)}${r.pick(KINDS)}有限公司`;
}
