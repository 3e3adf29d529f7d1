import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { cossOk } from '../common/envelope';
import { EndAutoSignDto, QueryImageDto } from './dto/query-image.dto';
import { StartAutoSignDto } from './dto/start-auto-sign.dto';
import { Authorizations } from './authorizations';
import { LoginService } from './login.service';
import { SealImages } from './seal-images.service';

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
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED: too many logins from this address; see Retry-After' })
  async startAutoSign(@Body() dto: StartAutoSignDto, @Req() request: FastifyRequest) {
    return cossOk(await this.logins.start(dto, request.ip));
  }

  @Post('queryImage')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seal image of a logged-in CA user (base64 PNG)' })
  async queryImage(@Body() dto: QueryImageDto) {
    const userId = (dto.userId ?? dto.UserId)!;
    const login = await this.authorizations.requireLive(userId, dto.userId === undefined ? 'UserId' : 'userId');
    return cossOk({ userId, image: await this.sealImages.get(login) });
  }

  @Post('endAutoSign')
  @HttpCode(200)
  @ApiOperation({ summary: "End a nurse's signing authorization (logout)" })
  async endAutoSign(@Body() dto: EndAutoSignDto) {
    return cossOk(await this.logins.end(dto.userId));
  }
}
