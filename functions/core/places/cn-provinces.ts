/**
 * The 34 provincial-level divisions of China as ISO 3166-2:CN names them (23 provinces, Taiwan among them;
 * 5 autonomous regions; 4 municipalities; the special administrative regions Hong Kong and Macao), with
 * the names region and city text writes them by: what resolve-province.ts matches. Each name is matched
 * after the same normalization as the text (see normalizePlaceText), so it is written here as people
 * write it; test/unit/places/resolve-province.test.ts proves that no normalized name belongs to two
 * divisions.
 */
export interface ProvinceDivision {
  /** The ISO 3166-2 code: `CN-YN`. */
  code: string;
  /** The English name reasons show: `Yunnan`, `Inner Mongolia`. */
  name: string;
  /** The Chinese name with its suffix (省, 市, 自治区 and its ethnic forms, 特别行政区): `云南省`. */
  full: string;
  /** The Chinese name without it: `云南`. */
  short: string;
  /** The one-character abbreviations (简称), the usual one first: `云`, `滇`. */
  abbreviations: readonly string[];
  /** Pinyin and the other English spellings in use (postal romanization, English forms): `Yunnan`. */
  spellings: readonly string[];
  /** A municipality or special administrative region: a city name names the division too. */
  cityLevel?: true;
}

const division = (
  code: string,
  name: string,
  full: string,
  short: string,
  abbreviations: readonly string[],
  spellings: readonly string[],
  cityLevel = false,
): ProvinceDivision => ({
  code,
  name,
  full,
  short,
  abbreviations,
  spellings,
  ...(cityLevel ? { cityLevel: true as const } : {}),
});

export const CN_PROVINCES: readonly ProvinceDivision[] = [
  // Provinces
  division('CN-AH', 'Anhui', '安徽省', '安徽', ['皖'], ['Anhui', 'Anhwei']),
  division('CN-FJ', 'Fujian', '福建省', '福建', ['闽'], ['Fujian', 'Fukien']),
  division('CN-GD', 'Guangdong', '广东省', '广东', ['粤'], ['Guangdong', 'Kwangtung']),
  division('CN-GS', 'Gansu', '甘肃省', '甘肃', ['甘', '陇'], ['Gansu', 'Kansu']),
  division('CN-GZ', 'Guizhou', '贵州省', '贵州', ['贵', '黔'], ['Guizhou', 'Kweichow']),
  division('CN-HA', 'Henan', '河南省', '河南', ['豫'], ['Henan', 'Honan']),
  division('CN-HB', 'Hubei', '湖北省', '湖北', ['鄂'], ['Hubei', 'Hupeh', 'Hupei']),
  division('CN-HE', 'Hebei', '河北省', '河北', ['冀'], ['Hebei', 'Hopeh', 'Hopei']),
  division('CN-HI', 'Hainan', '海南省', '海南', ['琼'], ['Hainan']),
  division('CN-HL', 'Heilongjiang', '黑龙江省', '黑龙江', ['黑'], ['Heilongjiang', 'Heilungkiang']),
  division('CN-HN', 'Hunan', '湖南省', '湖南', ['湘'], ['Hunan']),
  division('CN-JL', 'Jilin', '吉林省', '吉林', ['吉'], ['Jilin', 'Kirin']),
  division('CN-JS', 'Jiangsu', '江苏省', '江苏', ['苏'], ['Jiangsu', 'Kiangsu']),
  division('CN-JX', 'Jiangxi', '江西省', '江西', ['赣'], ['Jiangxi', 'Kiangsi']),
  division('CN-LN', 'Liaoning', '辽宁省', '辽宁', ['辽'], ['Liaoning']),
  division('CN-QH', 'Qinghai', '青海省', '青海', ['青'], ['Qinghai', 'Tsinghai']),
  division('CN-SC', 'Sichuan', '四川省', '四川', ['川', '蜀'], ['Sichuan', 'Szechwan', 'Szechuan']),
  division('CN-SD', 'Shandong', '山东省', '山东', ['鲁'], ['Shandong', 'Shantung']),
  // Shaanxi (陕西) and Shanxi (山西) are two provinces: the double a is Shaanxi's own spelling.
  division('CN-SN', 'Shaanxi', '陕西省', '陕西', ['陕', '秦'], ['Shaanxi', 'Shensi']),
  division('CN-SX', 'Shanxi', '山西省', '山西', ['晋'], ['Shanxi', 'Shansi']),
  division('CN-TW', 'Taiwan', '台湾省', '台湾', ['台'], ['Taiwan']),
  division('CN-YN', 'Yunnan', '云南省', '云南', ['云', '滇'], ['Yunnan']),
  division('CN-ZJ', 'Zhejiang', '浙江省', '浙江', ['浙'], ['Zhejiang', 'Chekiang']),
  // Autonomous regions (the English forms with the people's name as well: Guangxi Zhuang Autonomous Region)
  division('CN-GX', 'Guangxi', '广西壮族自治区', '广西', ['桂'], ['Guangxi', 'Kwangsi', 'Guangxi Zhuang']),
  division(
    'CN-NM',
    'Inner Mongolia',
    '内蒙古自治区',
    '内蒙古',
    ['蒙'],
    ['Inner Mongolia', 'Nei Mongol', 'Nei Menggu', 'Neimenggu'],
  ),
  division('CN-NX', 'Ningxia', '宁夏回族自治区', '宁夏', ['宁'], ['Ningxia', 'Ningsia', 'Ningxia Hui']),
  division(
    'CN-XJ',
    'Xinjiang',
    '新疆维吾尔自治区',
    '新疆',
    ['新'],
    ['Xinjiang', 'Sinkiang', 'Xinjiang Uygur', 'Xinjiang Uyghur', 'Xinjiang Uighur'],
  ),
  division('CN-XZ', 'Tibet', '西藏自治区', '西藏', ['藏'], ['Tibet', 'Xizang']),
  // Municipalities
  division('CN-BJ', 'Beijing', '北京市', '北京', ['京'], ['Beijing', 'Peking'], true),
  division('CN-CQ', 'Chongqing', '重庆市', '重庆', ['渝'], ['Chongqing', 'Chungking'], true),
  division('CN-SH', 'Shanghai', '上海市', '上海', ['沪'], ['Shanghai'], true),
  division('CN-TJ', 'Tianjin', '天津市', '天津', ['津'], ['Tianjin', 'Tientsin'], true),
  // Special administrative regions
  division('CN-HK', 'Hong Kong', '香港特别行政区', '香港', ['港'], ['Hong Kong', 'Xianggang'], true),
  division('CN-MO', 'Macao', '澳门特别行政区', '澳门', ['澳'], ['Macao', 'Macau', 'Aomen'], true),
];
