/**
 * A minimal Nest 11 app on the platform named by argv[2] (fastify | express): GET /health and POST /echo through a
 * ValidationPipe DTO. Listens on 127.0.0.1:argv[3] and prints "ready" when it does. No logging on either platform.
 */
import 'reflect-metadata';
import { Body, Controller, Get, HttpCode, INestApplication, Module, Post, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { IsArray, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

class EchoDto {
  @IsString() @MaxLength(64) nurse: string;
  @IsInt() @Min(0) @Max(1000) count: number;
  @IsOptional() @IsArray() @IsString({ each: true }) @MaxLength(32, { each: true }) tags?: string[];
}

@Controller()
class BenchController {
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  @Post('echo')
  @HttpCode(200)
  echo(@Body() dto: EchoDto) {
    return { nurse: dto.nurse, count: dto.count, tags: dto.tags ?? [] };
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

async function main(): Promise<void> {
  const [platform, port] = [process.argv[2], Number(process.argv[3])];
  let app: INestApplication;
  if (platform === 'fastify') app = await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false });
  else if (platform === 'express') app = await NestFactory.create(BenchModule, new ExpressAdapter(), { logger: false });
  else throw new Error('platform must be fastify or express');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  await app.listen(port, '127.0.0.1');
  process.stdout.write('ready\n');
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
