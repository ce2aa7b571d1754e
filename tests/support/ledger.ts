/**
 * The 整改台账's columns as a 司法局 receives them, in order: the tests that open an exported ledger
 * check its header row against this one list (written out here, not read from the product, so a
 * column dropped or moved by mistake fails them).
 */
export const LEDGER_COLUMNS = [
  '序号',
  '问题编号',
  '被评查单位',
  '案号',
  '页码',
  '问题描述',
  '问题类别',
  '扣分',
  '依据',
  '整改要求',
  '整改期限',
  '责任人',
  '整改措施',
  '佐证材料',
  '整改状态',
  '核查人',
  '核查意见',
  '销号日期',
  '来源',
] as const;
