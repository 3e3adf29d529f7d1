import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { cossOk } from '../common/envelope';
import { ApiErrors, ApiJsonOrForm, ApiOk, link } from '../common/openapi/api-contract';
import { EndAutoSignDto, EndAutoSignView, QueryImageDto, QueryImageView } from './dto/query-image.dto';
import { StartAutoSignDto, StartAutoSignView } from './dto/start-auto-sign.dto';
import { Authorizations } from './authorizations';
import { LoginService } from './login.service';
import { SealImages } from './seal-images.service';

const TOKEN = 'Hk3dPq8sVw2yZb5nRt7uXa9cEf1gJm4L';

/** The COSS login API at the vendor's own paths, so a PC front-end needs only a new host and port. */
@ApiTags('login (COSS-compatible)')
@Controller('coss/service/v1')
export class LoginController {
  constructor(
    private readonly logins: LoginService,
    private readonly sealImages: SealImages,
    private readonly authorizations: Authorizations,
  ) {}

  @Post('startAutoSign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a QR login; the answer carries the QR content and a rendered image' })
  @ApiJsonOrForm(StartAutoSignDto, {
    seed: { summary: 'As the seed sends it (any nurse may scan)', value: { UserId: '', timeRegion: 720 } },
    bound: { summary: 'Bound to the nurse at the PC', value: { userCode: 'N001', timeRegion: 480, provider: 'coss' } },
  })
  @ApiOk(StartAutoSignView, 'The login job: follow signDataId with getSignResult or its event stream', {
    links: { getSignResult: link('POST /coss/service/v1/getSignResult', { signDataId: 'signDataId' }) },
  })
  @ApiErrors(422, [429, 'RATE_LIMITED'], 502, [503, 'DATABASE_UNAVAILABLE'], 504)
  async startAutoSign(@Body() dto: StartAutoSignDto, @Req() request: FastifyRequest) {
    return cossOk(await this.logins.start(dto, request.ip));
  }

  @Post('queryImage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seal image of a logged-in CA user (base64 PNG)' })
  @ApiJsonOrForm(QueryImageDto, { token: { value: { userId: TOKEN } } })
  @ApiOk(QueryImageView, 'The seal image of the live login')
  @ApiErrors(404, 502, [503, 'DATABASE_UNAVAILABLE'], 504)
  async queryImage(@Body() dto: QueryImageDto) {
    const userId = (dto.userId ?? dto.UserId)!;
    const login = await this.authorizations.requireLive(userId, dto.userId === undefined ? 'UserId' : 'userId');
    return cossOk({ userId, image: await this.sealImages.get(login) });
  }

  @Post('endAutoSign')
  @HttpCode(200)
  @ApiOperation({ summary: "End a nurse's signing authorization (logout)" })
  @ApiJsonOrForm(EndAutoSignDto, { token: { value: { userId: TOKEN } } })
  @ApiOk(EndAutoSignView, 'Ended: how many open authorizations of the nurse ended')
  @ApiErrors([404, 'NOT_FOUND'], 502, [503, 'DATABASE_UNAVAILABLE'], 504)
  async endAutoSign(@Body() dto: EndAutoSignDto) {
    return cossOk(await this.logins.end(dto.userId));
  }
}
