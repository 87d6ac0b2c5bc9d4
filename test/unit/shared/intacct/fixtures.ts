/** Response bodies shaped like the real gateway's (see reference §9), for parser and client tests. */

export const ok = (results: string, auth = '') => `<?xml version="1.0" encoding="UTF-8"?>
<response><control><status>success</status><senderid>s</senderid><controlid>c</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>
<operation><authentication><status>success</status><userid>u</userid><companyid>co</companyid><locationid></locationid>
<sessiontimestamp>2026-01-01T10:00:00+00:00</sessiontimestamp><sessiontimeout>2026-01-01T12:00:00+00:00</sessiontimeout>${auth}</authentication>
${results}</operation></response>`;

export const apiSession = (id: string, endpoint: string) =>
  ok(`<result><status>success</status><function>getAPISession</function><controlid>sessionProvider</controlid>
<data><api><sessionid>${id}</sessionid><endpoint>${endpoint}</endpoint><locationid></locationid></api></data></result>`);

export const gatewayRateLimit = `<?xml version="1.0" encoding="UTF-8"?>
<response><control><status>failure</status></control><errormessage><error><errorno>GW-0010</errorno><description>Rate limit exceeded</description></error></errormessage></response>`;

export const badSender = `<?xml version="1.0" encoding="UTF-8"?>
<response><control><status>failure</status><senderid>s</senderid><controlid>c</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>
<errormessage><error><errorno>XL03000006</errorno><description>Incorrect Intacct XML Partner ID or password.</description><description2></description2><correction></correction></error></errormessage></response>`;

export const invalidSession = `<?xml version="1.0" encoding="UTF-8"?>
<response><control><status>success</status><senderid>s</senderid><controlid>c</controlid><uniqueid>false</uniqueid><dtdversion>3.0</dtdversion></control>
<operation><authentication><status>failure</status><userid></userid><companyid></companyid></authentication>
<errormessage><error><errorno>XL03000006</errorno><description></description><description2>Invalid session</description2><correction></correction></error></errormessage></operation></response>`;

export const unauthorized401 = `<?xml version="1.0" encoding="UTF-8"?>
<response><control><status>failure</status></control><errormessage><error><errorno>XMLGW_JPP0002</errorno><description>Sign-in information is incorrect. Please check your request.</description></error></errormessage></response>`;

export const readByQueryPage = (rows: string, remaining: number, resultId: string) =>
  `<result><status>success</status><function>readByQuery</function><controlid>q</controlid>
<data listtype="customer" count="1" totalcount="${1 + remaining}" numremaining="${remaining}" resultId="${resultId}">${rows}</data></result>`;

export const partialCreate = `<result><status>failure</status><function>create</function><controlid>w1</controlid>
<data listtype="objects" count="1"><project><RECORDNO>1424</RECORDNO><PROJECTID>Fellow PD2</PROJECTID></project></data>
<errormessage><error><errorno>BL34000061</errorno><description></description><description2>Another Project with the given value(s) Fellow PD1 already exists</description2><correction>Use a unique value instead.</correction></error>
<error><errorno>BL01001973</errorno><description></description><description2>Could not create Project record!</description2><correction></correction></error></errormessage></result>`;

export const textInErrorno = `<result><status>failure</status><function>readByQuery</function><controlid>x</controlid>
<errormessage><error><errorno>Invalid fields list x</errorno><description></description><description2></description2><correction></correction></error></errormessage></result>`;

export const supportId = `<result><status>failure</status><function>create</function><controlid>s1</controlid>
<errormessage><error><errorno>BL01001973</errorno><description></description><description2>Could not create Customer record! [Support ID: Abc%7EXyz]</description2><correction></correction></error></errormessage></result>`;

/** Credentials of a fake company at a test endpoint (nothing is sent there: fetch is scripted). */
export const credentials = {
  senderId: 's',
  senderPassword: 'sp',
  companyId: 'co',
  userId: 'u',
  userPassword: 'up',
  endpoint: 'https://api.example.test/ia/xml/xmlgw.phtml',
};
