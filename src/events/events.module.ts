import { Module } from '@nestjs/common';
import { EventBus } from './event-bus';

/** Imported by every feature that owns a store; Nest keeps one instance, so there is one bus. */
@Module({ providers: [EventBus], exports: [EventBus] })
export class EventsModule {}
