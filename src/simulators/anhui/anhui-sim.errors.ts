/** A control-route or virtual-app failure with the HTTP status the control API answers with. */
export class AnhuiSimError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'AnhuiSimError';
  }
}
