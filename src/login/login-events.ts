import { Inject, Injectable } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { catchError, defer, distinctUntilChanged, finalize, Observable, of, share, takeWhile, timer, exhaustMap, map } from 'rxjs';
import { GatewayError } from '../common/errors';
import { render } from '../common/errors/error-envelope.filter';
import { caConfig } from '../config';
import { SignResultView } from './dto/get-sign-result.dto';
import { LoginRefresher } from './login-refresher';
import { toView } from './login.service';

export type LoginEvent = { type: 'status'; data: SignResultView } | { type: 'error'; data: { type: string; message: string } };

/** One shared stream per login in this instance, however many PCs watch it; it ends when the login does. */
@Injectable()
export class LoginEvents {
  private readonly streams = new Map<string, Observable<LoginEvent>>();

  constructor(
    private readonly refresher: LoginRefresher,
    @Inject(caConfig.KEY) private readonly config: ConfigType<typeof caConfig>,
  ) {}

  watch(signDataId: string): Observable<LoginEvent> {
    let stream = this.streams.get(signDataId);
    if (!stream) {
      stream = timer(0, this.config.pollIntervalMs).pipe(
        exhaustMap(() =>
          defer(() => this.refresher.refresh(signDataId)).pipe(
            map((login): LoginEvent => ({ type: 'status', data: toView(login) })),
            catchError((error: unknown) => of<LoginEvent>(errorEvent(error))),
          ),
        ),
        distinctUntilChanged((a, b) => JSON.stringify(a) === JSON.stringify(b)),
        takeWhile((event) => event.type === 'error' || event.data.jobStatus === 'UNSIGN', true),
        finalize(() => this.streams.delete(signDataId)),
        share(),
      );
      this.streams.set(signDataId, stream);
    }
    return stream;
  }
}

function errorEvent(error: unknown): LoginEvent {
  const rendered = render(error);
  const message = error instanceof GatewayError ? error.message : rendered.message;
  return { type: 'error', data: { type: rendered.error.type, message } };
}
