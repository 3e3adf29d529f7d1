import { Body, Controller, Get, Inject, Optional, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from '../common/errors';
import { EMBEDDED_ENDPOINTS, EmbeddedEndpoints } from '../ca/vendor-module';
import { EmbeddedScanDto, EmbeddedVendorDto } from './dto/embedded-scan.dto';

const SCAN_PATHS = { coss: '/sim/phone/scan', anhui: '/sim/app/scan' } as const;

/**
 * The console's way to the in-process simulators' virtual phone and app. EMBEDDED_ENDPOINTS exists only when main.ts
 * loaded the embedded simulators (never with NODE_ENV=production, and the production build has none), so elsewhere
 * these routes report no simulator and forward nothing. The browser never learns the simulators' addresses.
 */
@ApiExcludeController()
@Controller('console/embedded')
export class EmbeddedSimulatorsController {
  constructor(@Optional() @Inject(EMBEDDED_ENDPOINTS) private readonly embedded?: EmbeddedEndpoints) {}

  @Get()
  simulators(): { simulators: Record<string, boolean> } {
    return {
      simulators: Object.fromEntries(
        Object.keys(SCAN_PATHS).map((vendor) => [vendor, Boolean(this.embedded?.[vendor])]),
      ),
    };
  }

  @Post(':vendor/scan')
  async scan(@Param() { vendor }: EmbeddedVendorDto, @Body() body: EmbeddedScanDto, @Res() reply: FastifyReply) {
    const endpoint = this.embedded?.[vendor];
    if (!endpoint) throw new NotFoundError(`No in-process ${vendor} simulator`, { field: 'vendor' });
    const payload =
      vendor === 'coss'
        ? { qrCode: body.qrCode, nurse: body.user, action: body.action }
        : { qr: body.qrCode, user: body.user, action: body.action };
    const answer = await fetch(`${endpoint.baseUrl}${SCAN_PATHS[vendor]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    await reply
      .status(answer.status)
      .type('application/json')
      .send(await answer.text());
  }
}
