import { toSealData } from './anhui-seal-data';

describe(toSealData.name, () => {
  it('renames the seal service fields', () => {
    const view = toSealData({
      code: '0',
      userInfo: {
        userId: 'u1',
        APPLYDate: '2026-01-01 00:00:00',
        overDate: '2027-01-01 00:00:00',
        userName: '张护士',
        phone: '138',
      },
      signInfos: [
        {
          signName: '护理专用章',
          signWidth: '4.0',
          signHeight: '4.0',
          signExt: 'png',
          signData: 'iVBOR',
          description: 'd',
          APPLYDate: '2026-01-01 00:00:00',
          overDate: '2027-01-01 00:00:00',
          signType: '2',
        },
      ],
    });
    expect(view).toEqual({
      userInfo: {
        userId: 'u1',
        userName: '张护士',
        phone: '138',
        applyDate: '2026-01-01 00:00:00',
        overDate: '2027-01-01 00:00:00',
      },
      seals: [
        {
          name: '护理专用章',
          width: '4.0',
          height: '4.0',
          ext: 'png',
          image: 'iVBOR',
          description: 'd',
          applyDate: '2026-01-01 00:00:00',
          overDate: '2027-01-01 00:00:00',
          type: '2',
        },
      ],
    });
  });

  it('answers no user and no seals when the service sends none', () => {
    expect(toSealData({ code: '0' })).toEqual({ userInfo: null, seals: [] });
  });
});
