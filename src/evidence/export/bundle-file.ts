/** One file of an evidence bundle, by its path inside the ZIP. */
export interface BundleFile {
  name: string;
  data: Buffer | string;
}
