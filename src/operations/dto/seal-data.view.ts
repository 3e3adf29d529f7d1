export class SealUserView {
  userId: string;
  userName?: string;
  phone?: string;
  applyDate?: string;
  overDate?: string;
}

export class SealDataSealView {
  name: string;
  /** cm, as the seal service gives it. */
  width?: string;
  height?: string;
  /** Image file suffix, e.g. png. */
  ext?: string;
  /** Base64 image. */
  image: string;
  description?: string;
  applyDate?: string;
  overDate?: string;
  type?: string;
}

export class SealDataView {
  userInfo: SealUserView | null;
  seals: SealDataSealView[];
}
