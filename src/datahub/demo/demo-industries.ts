/**
 * The industries demo companies belong to, and which occupations each hires. Weights are
 * keyed by O*NET-SOC prefixes (major group `15-`, minor/broad group `15-12`, or a full
 * code); an occupation takes the weight of its longest matching prefix, shared among the
 * occupations under that prefix. The mix leans to the professional roles a search firm
 * fills; trades and front-line service roles are left out on purpose.
 */

export interface Industry {
  name: string;
  nameZh: string;
  /** Words for generated English company names, e.g. `Cobaltridge Analytics`. */
  nameWords: string[];
  /** Words for generated Chinese company names, e.g. `云澜网络科技有限公司`. */
  nameWordsZh: string[];
  /** English for the Chinese words above, same order, used in the company's English alias. */
  nameWordsZhAlias: string[];
  /** Share of all companies. */
  weight: number;
  hires: Record<string, number>;
}

const OFFICE = { '11-1021': 0.6, '11-3121': 0.4, '13-1071': 0.8, '13-2011': 0.8, '13-1082': 0.8, '43-6011': 0.3 };

export const INDUSTRIES: Industry[] = [
  {
    name: 'Internet & Software',
    nameZh: '互联网/软件',
    nameWords: ['Software', 'Labs', 'Technologies', 'Digital', 'Cloud'],
    nameWordsZh: ['网络科技', '信息技术', '软件', '云计算'],
    nameWordsZhAlias: ['Network Technology', 'Information Technology', 'Software', 'Cloud Computing'],
    weight: 16,
    hires: {
      ...OFFICE,
      '15-12': 10, '15-2051': 3, '15-1221': 2.5, '15-1299.08': 1, '15-1299.09': 1, '11-3021': 1.5, '11-2021': 0.8,
      '13-1161': 1, '15-1255': 1.2, '41-3091': 0.8, '41-9031': 0.6, '43-4051': 0.5,
    },
  },
  {
    name: 'Financial Services',
    nameZh: '金融',
    nameWords: ['Capital', 'Financial', 'Partners', 'Securities', 'Bancorp'],
    nameWordsZh: ['金融', '投资', '资本', '证券'],
    nameWordsZhAlias: ['Finance', 'Investment', 'Capital', 'Securities'],
    weight: 11,
    hires: {
      ...OFFICE,
      '13-2': 8, '13-1041': 1, '15-12': 3, '15-2051': 1.5, '13-2099.01': 1, '11-3031': 1.2, '41-3031': 1.5, '41-3021': 0.6,
      '15-2011': 0.5, '43-3071': 0.3, '23-1011': 0.4,
    },
  },
  {
    name: 'Healthcare & Life Sciences',
    nameZh: '医疗健康',
    nameWords: ['Health', 'Therapeutics', 'Biosciences', 'Medical', 'Pharma'],
    nameWordsZh: ['医药', '生物科技', '医疗科技'],
    nameWordsZhAlias: ['Pharmaceutical', 'Biotech', 'Medical Technology'],
    weight: 10,
    hires: {
      ...OFFICE,
      '29-1': 5, '19-1': 3, '19-2031': 0.8, '19-4099.01': 0.8, '11-9121.01': 1, '13-1041.07': 0.8, '11-9111': 1,
      '17-2031': 0.8, '15-2041': 0.6, '15-1211.01': 0.5, '41-4011': 1,
    },
  },
  {
    name: 'Manufacturing',
    nameZh: '制造业',
    nameWords: ['Industries', 'Manufacturing', 'Precision', 'Components', 'Machinery'],
    nameWordsZh: ['精密制造', '机械', '智能装备', '工业'],
    nameWordsZhAlias: ['Precision Manufacturing', 'Machinery', 'Intelligent Equipment', 'Industrial'],
    weight: 11,
    hires: {
      ...OFFICE,
      '17-21': 5, '17-2112': 2, '17-3': 1, '51-1011': 1.5, '51-9061': 0.8, '49-9041': 0.6, '11-3051': 1.2,
      '13-1023': 1, '11-3071.04': 0.6, '41-4011': 1, '15-12': 0.8,
    },
  },
  {
    name: 'Retail & E-commerce',
    nameZh: '零售/电商',
    nameWords: ['Commerce', 'Retail', 'Goods', 'Market', 'Brands'],
    nameWordsZh: ['电子商务', '商贸', '零售'],
    nameWordsZhAlias: ['E-commerce', 'Trading', 'Retail'],
    weight: 9,
    hires: {
      ...OFFICE,
      '41-1011': 2, '13-1161': 2, '13-1161.01': 1, '11-2021': 1.2, '11-2022': 1, '15-12': 3, '15-2051': 1, '15-2051.01': 1,
      '13-1022': 1, '13-1081': 1, '43-4051': 1, '27-1024': 0.8,
    },
  },
  {
    name: 'Logistics & Supply Chain',
    nameZh: '物流/供应链',
    nameWords: ['Logistics', 'Freight', 'Transport', 'Supply'],
    nameWordsZh: ['物流', '供应链', '国际货运'],
    nameWordsZhAlias: ['Logistics', 'Supply Chain', 'International Freight'],
    weight: 6,
    hires: {
      ...OFFICE,
      '13-1081': 3, '11-3071': 2, '43-5011': 1.5, '43-5032': 0.8, '53-1043': 0.6, '13-1023': 0.8, '15-12': 1,
      '15-2031': 0.8, '41-3091': 0.8,
    },
  },
  {
    name: 'Energy & Utilities',
    nameZh: '能源',
    nameWords: ['Energy', 'Power', 'Renewables', 'Utilities'],
    nameWordsZh: ['新能源', '能源', '电力'],
    nameWordsZhAlias: ['New Energy', 'Energy', 'Power'],
    weight: 6,
    hires: {
      ...OFFICE,
      '17-2071': 2, '17-2199': 2, '17-2171': 1, '17-2081': 1, '19-2': 1, '11-9041': 1, '49-9081': 0.5, '47-1011': 0.6,
      '41-4011.07': 0.6, '13-1199.05': 0.5,
    },
  },
  {
    name: 'Education & EdTech',
    nameZh: '教育',
    nameWords: ['Learning', 'Education', 'Academy', 'Edu'],
    nameWordsZh: ['教育科技', '教育'],
    nameWordsZhAlias: ['Education Technology', 'Education'],
    weight: 5,
    hires: {
      ...OFFICE,
      '25-9031': 2, '25-2031': 1.5, '25-3021': 1.5, '25-3011': 1, '11-9032': 0.6, '15-12': 2.5, '27-1024': 0.6,
      '13-1151': 1, '41-3091': 1,
    },
  },
  {
    name: 'Media & Entertainment',
    nameZh: '文化传媒',
    nameWords: ['Media', 'Studios', 'Entertainment', 'Pictures'],
    nameWordsZh: ['文化传媒', '影视', '互动娱乐'],
    nameWordsZhAlias: ['Culture Media', 'Film and Television', 'Interactive Entertainment'],
    weight: 6,
    hires: {
      ...OFFICE,
      '27-1': 3, '27-2012': 1.5, '27-3': 3, '27-4032': 1, '15-1255.01': 1, '15-12': 1.5, '11-2011': 0.8, '11-2021': 0.8,
      '41-3011': 0.8,
    },
  },
  {
    name: 'Professional Services',
    nameZh: '专业服务',
    nameWords: ['Consulting', 'Advisory', 'Associates', 'Partners'],
    nameWordsZh: ['管理咨询', '咨询', '企业服务'],
    nameWordsZhAlias: ['Management Consulting', 'Consulting', 'Business Services'],
    weight: 7,
    hires: {
      ...OFFICE, '13-1111': 4, '13-2011': 2, '23-1011': 2, '23-2011': 1, '13-2051': 1, '15-1211': 1.5, '15-12': 1,
      '13-1141': 0.6, '19-3011': 0.5,
    },
  },
  {
    name: 'Construction & Real Estate',
    nameZh: '建筑/房地产',
    nameWords: ['Builders', 'Properties', 'Development', 'Construction'],
    nameWordsZh: ['建设', '置业', '建筑设计'],
    nameWordsZhAlias: ['Construction', 'Real Estate', 'Architectural Design'],
    weight: 5,
    hires: {
      ...OFFICE, '17-2051': 2, '17-1011': 1.5, '17-3011': 0.8, '11-9021': 1.5, '47-1011': 1, '13-1051': 1, '41-9022': 1,
      '11-9141': 0.8, '47-4011': 0.6,
    },
  },
  {
    name: 'Telecommunications',
    nameZh: '通信',
    nameWords: ['Telecom', 'Networks', 'Communications', 'Wireless'],
    nameWordsZh: ['通信', '通讯技术', '网络通信'],
    nameWordsZhAlias: ['Communications', 'Telecom Technology', 'Network Communications'],
    weight: 5,
    hires: {
      ...OFFICE, '15-1241': 2, '15-1241.01': 1.5, '15-1244': 1.5, '15-12': 2.5, '17-2072': 1.5, '17-2071': 0.8,
      '49-2022': 0.8, '41-9031': 0.8, '11-3021': 0.8,
    },
  },
  {
    name: 'Automotive',
    nameZh: '汽车',
    nameWords: ['Motors', 'Automotive', 'Mobility', 'Auto'],
    nameWordsZh: ['汽车', '新能源汽车', '智能驾驶'],
    nameWordsZhAlias: ['Automotive', 'New Energy Vehicles', 'Intelligent Driving'],
    weight: 5,
    hires: {
      ...OFFICE, '17-2141.02': 2, '17-2141': 1.5, '17-2071': 1, '17-2072': 1, '17-2199.08': 0.8, '15-12': 2, '15-1221': 1,
      '17-2112': 1, '51-1011': 0.8, '41-4011': 0.6, '11-9041': 0.8,
    },
  },
  {
    name: 'Semiconductors & Electronics',
    nameZh: '半导体/电子',
    nameWords: ['Semiconductor', 'Microsystems', 'Electronics', 'Silicon'],
    nameWordsZh: ['半导体', '微电子', '芯片科技'],
    nameWordsZhAlias: ['Semiconductor', 'Microelectronics', 'Chip Technology'],
    weight: 4,
    hires: {
      ...OFFICE, '17-2061': 2.5, '17-2072': 2.5, '17-2131': 1, '17-2199.06': 0.8, '17-2199.07': 0.6, '19-2012': 0.5,
      '51-9061': 0.6, '15-12': 1.5, '17-2112.02': 0.8, '41-9031': 0.8,
    },
  },
];

/**
 * The occupation a career in a major group leads to at director level and above: careers
 * stay in their family and move into its management role rather than into unrelated work.
 */
export const MANAGER_BY_MAJOR_GROUP: Record<string, string> = {
  '11': '11-1021.00',
  '13': '11-3031.00',
  '15': '11-3021.00',
  '17': '11-9041.00',
  '19': '11-9121.00',
  '23': '11-1021.00',
  '25': '11-9032.00',
  '27': '11-2011.00',
  '29': '11-9111.00',
  '41': '11-2022.00',
  '43': '11-3012.00',
  '47': '11-9021.00',
  '49': '11-3051.00',
  '51': '11-3051.00',
  '53': '11-3071.00',
};

/** Executive roles by major group for EXECUTIVE seniority. */
export const EXECUTIVE_OCCUPATION = '11-1011.00';
