<?xml version="1.0" encoding="UTF-8"?>
<!-- Outbound dialect: our UBL Invoice -> the partner's flat invoice format. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:inv="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <xsl:template match="/inv:Invoice">
    <PartnerInvoice number="{cbc:ID}" date="{cbc:IssueDate}" order="{cac:OrderReference/cbc:ID}">
      <Total><xsl:value-of select="cac:LegalMonetaryTotal/cbc:PayableAmount"/></Total>
      <xsl:for-each select="cac:InvoiceLine">
        <Line no="{cbc:ID}" qty="{cbc:InvoicedQuantity}" amount="{cbc:LineExtensionAmount}"><xsl:value-of select="cac:Item/cbc:Name"/></Line>
      </xsl:for-each>
    </PartnerInvoice>
  </xsl:template>
</xsl:stylesheet>
