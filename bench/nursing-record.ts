/** A nursing record shaped like what MNIS sends (about 1 KB of JSON with Chinese text), varied by a sequence number. */

const CONSCIOUSNESS = ['清醒', '嗜睡', '清醒', '清醒'];
const NOTES = [
  '患者神志清楚，精神可，诉切口轻度疼痛，已遵医嘱给予止痛处理，30分钟后复评疼痛评分下降。',
  '夜间巡视患者安睡，呼吸平稳，留置针通畅无渗出，床栏已拉起，告知家属防跌倒注意事项。',
  '术后第一天，腹部敷料干燥无渗血，引流管固定良好，引流液淡红色，指导患者床上翻身及有效咳嗽。',
  '患者血糖偏高，已通知医生，遵医嘱调整胰岛素剂量，嘱低糖饮食，家属表示理解。',
];
const MEASURES = ['观察生命体征', '保持呼吸道通畅', '防跌倒宣教', '皮肤护理', '管道护理', '饮食指导', '心理护理'];

export function nursingRecord(id: string, seq: number): Record<string, unknown> {
  const pick = <T>(list: T[], salt = 0): T => list[(seq + salt) % list.length];
  return {
    id,
    patientId: `P${String(100000 + (seq % 90000))}`,
    inpatientNo: `ZY2024${String(seq % 1_000_000).padStart(6, '0')}`,
    patientName: pick(['张秀英', '王建国', '李桂兰', '刘德明']),
    wardCode: 'W0305',
    wardName: '普外科三病区',
    bedNo: String(1 + (seq % 48)),
    recordType: '一般护理记录单',
    diagnosis: pick(['腹腔镜下胆囊切除术后', '2型糖尿病伴血糖控制不佳', '急性阑尾炎术后', '腹股沟疝修补术后']),
    recordTime: new Date(Date.UTC(2024, 5, 1, 8) + seq * 60_000).toISOString(),
    vitalSigns: {
      temperature: 36.2 + (seq % 15) / 10,
      pulse: 68 + (seq % 30),
      respiration: 16 + (seq % 6),
      bloodPressure: { systolic: 110 + (seq % 35), diastolic: 70 + (seq % 20) },
      spo2: 95 + (seq % 5),
      painScore: seq % 4,
    },
    intakeOutput: { intakeMl: 1500 + (seq % 10) * 50, urineMl: 1200 + (seq % 8) * 50, drainageMl: 40 + (seq % 6) * 5 },
    consciousness: pick(CONSCIOUSNESS),
    skin: '皮肤完整，无压红',
    nursingLevel: '二级护理',
    measures: [pick(MEASURES), pick(MEASURES, 3), pick(MEASURES, 5)],
    notes: pick(NOTES),
    nurseRemark: '已执行医嘱，病情平稳，继续观察。',
    handover: '交班：注意观察引流液颜色及量，监测血糖每日四次，夜间加强巡视。',
  };
}
