import type { FactReader } from "../reader.js";
import { applicantReader } from "./applicant.js";
import { foundedReader } from "./founded.js";
import { industriesReader } from "./industries.js";
import { listedReader } from "./listed.js";
import { placeReader } from "./place.js";
import { qualificationsReader } from "./qualifications.js";

/** Readers of the company's words: place, founding date, qualifications held or lacked, industries, listing, applicant type. */
export const WORD_READERS: FactReader[] = [placeReader, foundedReader, qualificationsReader, industriesReader, listedReader, applicantReader];
