/**
 * The richer job fields of every provider's job mapper: a field the provider reports becomes the canonical value
 * (null when reported empty), a field it leaves out stays undefined so the hub keeps its own value.
 */
import { describe, expect, it } from 'vitest';
import { ashbyJobSchema } from '../../../shared/providers/ashby/schemas.js';
import { toJob as ashbyJob } from '../../../shared/providers/ashby/to-job.js';
import { jobSchema as bambooJobSchema } from '../../../shared/providers/bamboohr/schemas.js';
import { toJob as bambooJob } from '../../../shared/providers/bamboohr/to-job.js';
import { v3JobSchema } from '../../../shared/providers/greenhouse/schemas.js';
import { toJob as greenhouseJob } from '../../../shared/providers/greenhouse/to-job.js';
import { leverPostingSchema } from '../../../shared/providers/lever/schemas.js';
import { toJob as leverJob } from '../../../shared/providers/lever/to-job.js';
import {
  jobRequisitionsResponseSchema,
  readWorkdayEnvelope,
} from '../../../shared/providers/workday/parse.js';
import { jobRequisitionSchema } from '../../../shared/providers/workday/schemas.js';
import { toJob as workdayJob } from '../../../shared/providers/workday/to-job.js';

const FIELDS = ['description', 'department', 'office', 'remotePolicy', 'salaryRange'] as const;
const fieldsOf = (job: Record<string, unknown>) => Object.fromEntries(FIELDS.map((f) => [f, job[f]]));
const absent = {
  description: undefined,
  department: undefined,
  office: undefined,
  remotePolicy: undefined,
  salaryRange: undefined,
};

describe('Greenhouse job fields', () => {
  it('takes the first department and office by name', () => {
    const raw = v3JobSchema.parse({
      id: 1,
      status: 'open',
      departments: [{ id: 2, name: 'Data' }],
      offices: [{ id: 3, name: 'Berlin', location: { name: 'Berlin, Germany' } }],
    });

    expect(fieldsOf(greenhouseJob(raw) as never)).toEqual({
      ...absent,
      department: 'Data',
      office: 'Berlin',
    });
  });

  it('reads an empty office list as no office, and a job without the lists as not reported', () => {
    const empty = v3JobSchema.parse({ id: 1, status: 'open', departments: [], offices: [] });
    const bare = v3JobSchema.parse({ id: 1, status: 'open' });

    expect([fieldsOf(greenhouseJob(empty) as never), fieldsOf(greenhouseJob(bare) as never)]).toEqual([
      { ...absent, department: null, office: null },
      absent,
    ]);
  });
});

describe('Lever job fields', () => {
  it('maps department, location, workplace type, pay and description', () => {
    const raw = leverPostingSchema.parse({
      id: 'p1',
      state: 'published',
      categories: { team: 'Platform', department: 'Engineering', location: 'London' },
      content: { description: 'Run the platform.' },
      workplaceType: 'hybrid',
      salaryRange: { min: 60000, max: 80000, currency: 'GBP', interval: 'per-year-salary' },
    });

    expect(fieldsOf(leverJob(raw, []) as never)).toEqual({
      description: 'Run the platform.',
      department: 'Engineering',
      office: 'London',
      remotePolicy: 'hybrid',
      salaryRange: { min: 60000, max: 80000, currency: 'GBP' },
    });
  });

  it('names the team when there is no department, and reads unspecified as no remote policy', () => {
    const raw = leverPostingSchema.parse({
      id: 'p1',
      categories: { team: 'Platform' },
      workplaceType: 'unspecified',
    });

    expect(leverJob(raw, [])).toMatchObject({ department: 'Platform', office: null, remotePolicy: null });
  });

  it('leaves the pay unreported when the posting has no salaryRange', () => {
    const raw = leverPostingSchema.parse({ id: 'p1', state: 'published' });

    expect(fieldsOf(leverJob(raw, []) as never)).toEqual(absent);
  });
});

describe('Ashby job fields', () => {
  it('maps the location to office and its workplace type to the remote policy', () => {
    const raw = ashbyJobSchema.parse({
      id: 'j1',
      status: 'Open',
      departmentId: 'd1',
      location: { id: 'l1', name: 'Paris', isRemote: false, workplaceType: 'OnSite' },
    });

    expect(fieldsOf(ashbyJob(raw) as never)).toEqual({ ...absent, office: 'Paris', remotePolicy: 'onsite' });
  });

  it('reads a remote location without workplace type as remote', () => {
    const raw = ashbyJobSchema.parse({ id: 'j1', location: { name: 'Anywhere', isRemote: true } });

    expect(ashbyJob(raw)).toMatchObject({ office: 'Anywhere', remotePolicy: 'remote' });
  });
});

describe('BambooHR job fields', () => {
  it('maps department and location labels, and On Hold to paused', () => {
    const raw = bambooJobSchema.parse({
      id: 7,
      title: { label: 'Nurse' },
      status: { label: 'On Hold' },
      department: { id: 1, label: 'Care' },
      location: { id: 2, label: 'Boise, Idaho' },
    });

    expect(bambooJob(raw, [])).toMatchObject({
      status: 'paused',
      department: 'Care',
      office: 'Boise, Idaho',
    });
  });
});

describe('Workday job fields', () => {
  const requisition = (detail: string) => {
    const envelope = readWorkdayEnvelope(`<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body>
<wd:Get_Job_Requisitions_Response xmlns:wd="urn:com.workday/bsvc">
<wd:Response_Results><wd:Total_Results>1</wd:Total_Results><wd:Total_Pages>1</wd:Total_Pages></wd:Response_Results>
<wd:Response_Data><wd:Job_Requisition>
<wd:Job_Requisition_Reference><wd:ID wd:type="Job_Requisition_ID">R-1</wd:ID></wd:Job_Requisition_Reference>
<wd:Job_Requisition_Data>
<wd:Job_Requisition_Status_Reference><wd:ID wd:type="Job_Requisition_Status_ID">Frozen</wd:ID></wd:Job_Requisition_Status_Reference>
<wd:Job_Requisition_Detail_Data><wd:Job_Posting_Title>Driver</wd:Job_Posting_Title>${detail}</wd:Job_Requisition_Detail_Data>
</wd:Job_Requisition_Data></wd:Job_Requisition></wd:Response_Data>
</wd:Get_Job_Requisitions_Response></env:Body></env:Envelope>`);
    const [item] = jobRequisitionsResponseSchema.parse(envelope?.body['Get_Job_Requisitions_Response']).items;
    return jobRequisitionSchema.parse(item);
  };

  it('maps the description, the primary location and a frozen requisition to paused', () => {
    const raw = requisition(`<wd:Job_Description>Drive safely.</wd:Job_Description>
<wd:Primary_Location_Reference wd:Descriptor="Dublin"><wd:ID wd:type="Location_ID">LOC_DUBLIN</wd:ID></wd:Primary_Location_Reference>`);

    expect(workdayJob(raw, [])).toMatchObject({
      status: 'paused',
      description: 'Drive safely.',
      office: 'Dublin',
    });
  });

  it('leaves description and office unreported when the requisition has neither element', () => {
    expect(fieldsOf(workdayJob(requisition(''), []) as never)).toEqual(absent);
  });
});
