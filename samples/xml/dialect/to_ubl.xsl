<?xml version="1.0" encoding="UTF-8"?>
<!-- Inbound dialect: the partner's PurchaseOrder -> UBL 2.1 Order. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"
    xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
    xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <xsl:template match="/PurchaseOrder">
    <Order>
      <cbc:UBLVersionID>2.1</cbc:UBLVersionID>
      <cbc:ID><xsl:value-of select="@number"/></cbc:ID>
      <cbc:IssueDate><xsl:value-of select="@date"/></cbc:IssueDate>
      <cbc:DocumentCurrencyCode><xsl:value-of select="@currency"/></cbc:DocumentCurrencyCode>
      <cac:BuyerCustomerParty><xsl:apply-templates select="Buyer"/></cac:BuyerCustomerParty>
      <cac:SellerSupplierParty><xsl:apply-templates select="Seller"/></cac:SellerSupplierParty>
      <xsl:for-each select="Item">
        <cac:OrderLine><cac:LineItem>
          <cbc:ID><xsl:value-of select="@line"/></cbc:ID>
          <cbc:Quantity unitCode="{@unit}"><xsl:value-of select="@qty"/></cbc:Quantity>
          <cbc:LineExtensionAmount currencyID="{/PurchaseOrder/@currency}"><xsl:value-of select="@total"/></cbc:LineExtensionAmount>
          <cac:Price><cbc:PriceAmount currencyID="{/PurchaseOrder/@currency}"><xsl:value-of select="@price"/></cbc:PriceAmount></cac:Price>
          <cac:Item>
            <cbc:Name><xsl:value-of select="."/></cbc:Name>
            <cac:SellersItemIdentification><cbc:ID><xsl:value-of select="@sku"/></cbc:ID></cac:SellersItemIdentification>
            <cac:StandardItemIdentification><cbc:ID schemeID="0160"><xsl:value-of select="@gtin"/></cbc:ID></cac:StandardItemIdentification>
          </cac:Item>
        </cac:LineItem></cac:OrderLine>
      </xsl:for-each>
    </Order>
  </xsl:template>
  <xsl:template match="Buyer|Seller">
    <cac:Party>
      <cac:PartyIdentification><cbc:ID schemeID="0088"><xsl:value-of select="@gln"/></cbc:ID></cac:PartyIdentification>
      <cac:PartyName><cbc:Name><xsl:value-of select="."/></cbc:Name></cac:PartyName>
    </cac:Party>
  </xsl:template>
</xsl:stylesheet>
